import type { AnalyticsRunnerStats, DestinationStats } from '@vigil/analytics';
import type { Severity, Store } from '@vigil/storage';
import type { MetricFamily } from './exposition.js';
import { processMetrics } from './process-metrics.js';

/** Counters of the hub's operations sink (`hub.operations.stats()`). */
export interface OperationsSinkStats {
  readonly recorded: number;
  readonly dropped: number;
  readonly failed: number;
}

/**
 * Where the server's metrics come from. Every source is optional so a role that runs only part of
 * the system (hub alone, analytics alone) exposes what it has.
 */
export interface MetricsSources {
  /** Ingest-log counters and lag, active alerts by severity. */
  readonly store?: Pick<Store, 'ingestLog' | 'alerts'>;
  /** The consumer group whose lag is reported (default `analytics`). */
  readonly analyticsGroup?: string;
  readonly analytics?: () => Readonly<AnalyticsRunnerStats>;
  readonly operations?: () => OperationsSinkStats;
  /** Identities with a live MQTT session. */
  readonly connections?: () => number | Promise<number>;
  /** Per-destination counts of the alert exporter (`exporter.stats()`), when one is configured. */
  readonly alertExport?: () => readonly DestinationStats[];
  /** Process RSS, CPU and heap (default true). */
  readonly process?: boolean;
}

const ANALYTICS_COUNTERS: Record<keyof AnalyticsRunnerStats, readonly [string, string]> = {
  records: ['vigil_analytics_records_total', 'Ingest records the security center processed.'],
  operations: ['vigil_analytics_operations_total', 'Hub operations the security center processed.'],
  rejectedMessages: [
    'vigil_analytics_rejected_messages_total',
    'Security messages refused as malformed (decoding or validation).',
  ],
  eventsRecorded: ['vigil_analytics_events_recorded_total', 'Security events stored.'],
  alertsCreated: ['vigil_analytics_alerts_created_total', 'Alerts raised (new findings).'],
  alertsMerged: ['vigil_analytics_alerts_merged_total', 'Occurrences merged into an existing active alert.'],
  recommendationsRaised: ['vigil_analytics_recommendations_raised_total', 'Recommendations raised.'],
  recommendationsResolved: ['vigil_analytics_recommendations_resolved_total', 'Recommendations resolved.'],
  failedRecords: [
    'vigil_analytics_failed_records_total',
    'Ingest records skipped after repeated processing failures.',
  ],
  units: [
    'vigil_analytics_units_total',
    'Units of work analytics committed (one transaction each, for a run of records and the cursor).',
  ],
};

/** The exporter's per-destination counts: counters, except what waits now. */
const EXPORT_FAMILIES: readonly (readonly [
  keyof Omit<DestinationStats, 'destination'>,
  string,
  'counter' | 'gauge',
  string,
])[] = [
  ['delivered', 'vigil_alert_export_delivered_total', 'counter', 'Alert events a destination accepted.'],
  ['retries', 'vigil_alert_export_retries_total', 'counter', 'Delivery attempts after the first (backoffs).'],
  [
    'failed',
    'vigil_alert_export_failed_total',
    'counter',
    'Alert events given up after the last attempt or refused permanently.',
  ],
  [
    'dropped',
    'vigil_alert_export_dropped_total',
    'counter',
    'Alert events dropped because the queue was full or the exporter closed.',
  ],
  [
    'coalesced',
    'vigil_alert_export_coalesced_total',
    'counter',
    'Alert events folded into a waiting event of the same alert.',
  ],
  ['queued', 'vigil_alert_export_queued', 'gauge', 'Alert events waiting for their destination.'],
];

function exportFamilies(stats: readonly DestinationStats[]): MetricFamily[] {
  return EXPORT_FAMILIES.map(([key, name, type, help]) => ({
    name,
    help,
    type,
    samples: stats.map((entry) => ({ labels: { destination: entry.destination }, value: entry[key] })),
  }));
}

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
const DECIMAL = /^\d{1,15}$/;

const counter = (name: string, help: string, value: number): MetricFamily => ({
  name,
  help,
  type: 'counter',
  samples: [{ value }],
});
const gauge = (name: string, help: string, value: number): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples: [{ value }],
});

async function ingestFamilies(store: NonNullable<MetricsSources['store']>, group: string) {
  const stats = store.ingestLog.stats();
  const families: MetricFamily[] = [
    counter('vigil_ingest_records_total', 'Records this process appended to the ingest log.', stats.records),
    counter('vigil_ingest_commits_total', 'Durable group commits that carried those records.', stats.groups),
  ];
  const [head, cursor] = await Promise.all([store.ingestLog.head(), store.ingestLog.cursor(group)]);
  const position = cursor.position ?? '0';
  // SQL logs number records 1, 2, 3…; other logs' ids (Redis `ms-seq`) have no distance, so no sample.
  if ((head === null || DECIMAL.test(head)) && DECIMAL.test(position)) {
    families.push({
      name: 'vigil_ingest_lag_records',
      help: 'Records appended to the ingest log but not yet committed by the consumer group.',
      type: 'gauge',
      samples: [{ labels: { group }, value: Math.max(0, Number(head ?? 0) - Number(position)) }],
    });
  }
  const active = await Promise.all(
    SEVERITIES.map((severity) => store.alerts.count({ status: 'active', severity })),
  );
  families.push({
    name: 'vigil_active_alerts',
    help: 'Active (not dismissed or resolved) alerts by severity.',
    type: 'gauge',
    samples: SEVERITIES.map((severity, i) => ({ labels: { severity }, value: active[i] ?? 0 })),
  });
  return families;
}

/**
 * Builds the collector of the server's metrics. Each source is read independently: one that fails
 * (a closed database during shutdown) is reported by `vigil_metrics_source_up{source} 0` and the
 * others are still exposed.
 */
export function createServerMetrics(sources: MetricsSources): () => Promise<MetricFamily[]> {
  const parts: [string, () => Promise<MetricFamily[]>][] = [];
  const { store, analytics, operations, connections } = sources;
  if (connections !== undefined) {
    parts.push([
      'hub',
      async () => [
        gauge('vigil_hub_connected_devices', 'Identities with a live MQTT session.', await connections()),
      ],
    ]);
  }
  if (store !== undefined)
    parts.push(['store', () => ingestFamilies(store, sources.analyticsGroup ?? 'analytics')]);
  if (analytics !== undefined) {
    parts.push([
      'analytics',
      () => {
        const stats = analytics();
        return Promise.resolve(
          Object.entries(ANALYTICS_COUNTERS).map(([key, [name, help]]) =>
            counter(name, help, stats[key as keyof AnalyticsRunnerStats]),
          ),
        );
      },
    ]);
  }
  if (operations !== undefined) {
    parts.push([
      'operations',
      () => {
        const stats = operations();
        return Promise.resolve([
          counter(
            'vigil_hub_operations_recorded_total',
            'Hub operations written to the operations log.',
            stats.recorded,
          ),
          counter(
            'vigil_hub_operations_dropped_total',
            'Hub operations dropped because the operations queue was full (dropped events).',
            stats.dropped,
          ),
          counter(
            'vigil_hub_operations_failed_total',
            'Hub operations that could not be written.',
            stats.failed,
          ),
        ]);
      },
    ]);
  }
  const { alertExport } = sources;
  if (alertExport !== undefined) {
    parts.push(['alert-export', () => Promise.resolve(exportFamilies(alertExport()))]);
  }
  if (sources.process !== false) parts.push(['process', () => Promise.resolve(processMetrics())]);

  return async () => {
    const results = await Promise.allSettled(parts.map(([, collect]) => collect()));
    const families = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    families.push({
      name: 'vigil_metrics_source_up',
      help: 'Whether each metrics source answered this scrape (1) or failed (0).',
      type: 'gauge',
      samples: parts.map(([source], i) => ({
        labels: { source },
        value: results[i]?.status === 'fulfilled' ? 1 : 0,
      })),
    });
    return families;
  };
}
