import type { CustomRule, IngestRecord, Store } from '@vigil/storage';
import type { ThreatIntelLookup } from '../detect/context.js';
import type { BruteForceOptions } from '../detect/brute-force.js';
import { detectHubAlerts } from '../detect/hub-alerts.js';
import { applyFindings, observeAlerts, type AlertHook } from './apply-findings.js';
import {
  processDeviceRecord,
  refreshSecurityGroup,
  securityGroupChangeOf,
  type SecurityMessageDecoder,
} from './device-record.js';
import { readOperationRecord } from './operation-record.js';
import { checkHubPosture, checkRangeRules, checkSilentDevices, DEFAULT_SILENT_AFTER_MS } from './periodic.js';
import type { HubPostureOptions } from '../detect/hub-posture.js';

/** Attempts per record before it is skipped. */
const MAX_ATTEMPTS = 3;

/** Options of {@link createAnalyticsRunner}. */
export interface AnalyticsRunnerOptions {
  readonly store: Store;
  /** `decodeSecurityMessage` from `@vigil/protocol`. */
  readonly decode: SecurityMessageDecoder;
  readonly threatIntel?: ThreatIntelLookup;
  readonly bruteForce?: BruteForceOptions;
  /** The ingest-log consumer group (default `analytics`). */
  readonly group?: string;
  readonly consumer?: string;
  /** Records per read (default 256). */
  readonly batchSize?: number;
  /** How long a security group's rules are cached (default 5 s): edits apply within that time. */
  readonly rulesCacheMs?: number;
  readonly now?: () => number;
  /** Silence before a device-silent alert (72 hours by default). */
  readonly silentAfterMs?: number;
  readonly hubPosture?: HubPostureOptions;
  /** How often the time-based checks run in the background loop (one minute by default). */
  readonly periodicIntervalMs?: number;
  /** Called with errors of the background loop (it keeps going). */
  readonly onError?: (error: unknown) => void;
  /**
   * Told about each alert created or merged into (not about replayed occurrences), e.g.
   * `(alert, result) => exporter.export(alert, result === 'created' ? 'created' : 'updated')`.
   * Called without waiting; errors it throws go to `onError`.
   */
  readonly onAlert?: AlertHook;
}

/** What the runner did since it started. */
export interface AnalyticsRunnerStats {
  records: number;
  operations: number;
  rejectedMessages: number;
  eventsRecorded: number;
  alertsCreated: number;
  alertsMerged: number;
  recommendationsRaised: number;
  recommendationsResolved: number;
  /** Records skipped after repeated failures (each reported through `onError`). */
  failedRecords: number;
}

/** The analytics consumer of the ingest log. */
export interface AnalyticsRunner {
  /** Processes every record after the group's cursor, committing after each batch; returns how many. */
  processAvailable(): Promise<number>;
  /** The time-based checks: silent devices, time-window custom rules, hub posture. */
  runPeriodicChecks(): Promise<void>;
  /** Processes as records arrive (woken by appends in this process, and every second otherwise). */
  start(): void;
  /** Stops the loop after the batch in flight. */
  stop(): Promise<void>;
  stats(): Readonly<AnalyticsRunnerStats>;
}

/**
 * Consumes the ingest log at least once and idempotently: each batch is processed, then the cursor is
 * committed; after a crash the batch is processed again and changes nothing twice (alert occurrences
 * are keyed by record id, events by their ids, device state remembers the last record it absorbed).
 */
export function createAnalyticsRunner(options: AnalyticsRunnerOptions): AnalyticsRunner {
  const store =
    options.onAlert === undefined
      ? options.store
      : observeAlerts(options.store, options.onAlert, options.onError);
  const group = options.group ?? 'analytics';
  const consumer = options.consumer ?? 'analytics-1';
  const batchSize = options.batchSize ?? 256;
  const now = options.now ?? Date.now;
  const stats: AnalyticsRunnerStats = {
    records: 0,
    operations: 0,
    rejectedMessages: 0,
    eventsRecorded: 0,
    alertsCreated: 0,
    alertsMerged: 0,
    recommendationsRaised: 0,
    recommendationsResolved: 0,
    failedRecords: 0,
  };
  const rulesCache = new Map<string, { rules: readonly CustomRule[]; at: number }>();
  const groupRules = async (name: string): Promise<readonly CustomRule[]> => {
    const cached = rulesCache.get(name);
    if (cached !== undefined && now() - cached.at < (options.rulesCacheMs ?? 5_000)) return cached.rules;
    const rules = (await store.securityGroups.get(name))?.rules ?? [];
    rulesCache.set(name, { rules, at: now() });
    return rules;
  };
  const context = {
    store,
    decode: options.decode,
    groupRules,
    outcome: stats,
    ...(options.threatIntel === undefined ? {} : { threatIntel: options.threatIntel }),
    ...(options.bruteForce === undefined ? {} : { bruteForce: options.bruteForce }),
  };

  const processRecord = async (record: IngestRecord): Promise<void> => {
    if (record.kind === 'operation') {
      const operation = readOperationRecord(record);
      if (operation !== undefined) {
        stats.operations += 1;
        await applyFindings(store, detectHubAlerts(operation), record.id, stats);
        const regrouped = securityGroupChangeOf(operation);
        if (regrouped !== undefined) await refreshSecurityGroup(store, regrouped);
      }
    } else {
      await processDeviceRecord(record, context);
    }
  };

  /**
   * A record that keeps failing (a storage limit it exceeds, a bug) must not stall every record
   * behind it: after a few attempts it is skipped and reported. Processing is idempotent, so the
   * retries never double-count.
   */
  const processWithRetries = async (record: IngestRecord): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await processRecord(record);
        return;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          stats.failedRecords += 1;
          options.onError?.(
            new Error(`analytics skipped ingest record ${record.id} after ${attempt} attempts`, {
              cause: error,
            }),
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  };

  const processBatch = async (): Promise<number> => {
    const records = await store.ingestLog.read({ group, consumer, limit: batchSize });
    for (const record of records) {
      await processWithRetries(record);
      stats.records += 1;
    }
    const last = records.at(-1);
    if (last !== undefined) await store.ingestLog.commit({ group, consumer, id: last.id });
    return records.length;
  };

  const processAvailable = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const count = await processBatch();
      total += count;
      if (count < batchSize) return total;
    }
  };

  const runPeriodicChecks = async (): Promise<void> => {
    const at = now();
    await checkSilentDevices(store, at, options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS, stats);
    await checkRangeRules(store, at, stats);
    await checkHubPosture(store, at, options.hubPosture, stats);
  };

  let running = false;
  let lastPeriodic = Number.NEGATIVE_INFINITY;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return {
    processAvailable,
    runPeriodicChecks,
    stats: () => ({ ...stats }),
    start() {
      if (running) return;
      running = true;
      unsubscribe = store.ingestLog.onAppend(() => wake?.());
      loop = (async () => {
        while (running) {
          try {
            await processAvailable();
            if (now() - lastPeriodic >= (options.periodicIntervalMs ?? 60_000)) {
              lastPeriodic = now();
              await runPeriodicChecks();
            }
          } catch (error) {
            options.onError?.(error);
          }
          if (running) await sleep(1_000);
        }
      })();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      wake?.();
      await loop;
    },
  };
}
