import { randomUUID } from 'node:crypto';
import type { Alert } from '@vigil/storage';
import { resolveRetryPolicy } from './backoff.js';
import { createDeliveryQueue, type DeliveryQueue } from './delivery-queue.js';
import { createSyslogTransport } from './syslog-transport.js';
import type {
  AlertDestination,
  AlertExportEvent,
  AlertExportFailure,
  DestinationStats,
  Transport,
} from './types.js';
import { validateDestinations } from './validate-destinations.js';
import { createWebhookTransport } from './webhook-transport.js';

/** Options of {@link createAlertExporter}. */
export interface AlertExporterOptions {
  readonly destinations: readonly AlertDestination[];
  /** The time written into messages (webhook `sentAt`, syslog TIMESTAMP); `Date.now` by default. */
  readonly clock?: { readonly now: () => number };
  /** Every alert event a destination did not deliver (gave up, refused, dropped). */
  readonly onError?: (failure: AlertExportFailure) => void;
  /** Jitter source in [0, 1); `Math.random` by default (tests pass a seeded one). */
  readonly random?: () => number;
}

/** Sends alert events to webhooks and syslog collectors, each destination with its own queue. */
export interface AlertExporter {
  /**
   * Queues an alert event for every destination and returns at once; never throws. Failures go to
   * `onError` and the counts in {@link AlertExporter.stats}.
   */
  export(alert: Alert, event: AlertExportEvent): void;
  /**
   * Stops accepting events and delivers what is queued until the deadline (5 s by default), then
   * abandons the rest (each reported as `closed`) and closes connections.
   */
  close(options?: { readonly deadlineMs?: number }): Promise<void>;
  /** Per-destination counts, in the order the destinations were given. */
  stats(): DestinationStats[];
}

/** Default per-attempt timeout. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** Default queue bound per destination. */
const DEFAULT_MAX_QUEUE = 1_000;

function createTransport(destination: AlertDestination, now: () => number): Transport {
  switch (destination.kind) {
    case 'webhook':
      return createWebhookTransport(destination, now);
    case 'syslog':
      return createSyslogTransport(destination, now);
  }
}

/**
 * Creates the alert exporter. Destinations are checked here: every problem is listed, with its path,
 * in one `AlertExportConfigError`, as configuration errors should surface at start; after that
 * nothing the exporter does throws.
 */
export function createAlertExporter(options: AlertExporterOptions): AlertExporter {
  validateDestinations(options.destinations);
  const now = options.clock?.now ?? Date.now;
  const onFailure = (failure: AlertExportFailure) => options.onError?.(failure);
  const names = new Map<string, number>();
  const named = (destination: AlertDestination, transport: Transport): Transport => {
    const base = destination.name ?? transport.name;
    const seen = (names.get(base) ?? 0) + 1;
    names.set(base, seen);
    return { ...transport, name: seen === 1 ? base : `${base} #${seen}` };
  };
  const queues: DeliveryQueue[] = options.destinations.map((destination) =>
    createDeliveryQueue({
      transport: named(destination, createTransport(destination, now)),
      maxQueue: Math.max(1, destination.maxQueue ?? DEFAULT_MAX_QUEUE),
      retry: resolveRetryPolicy(destination.retry),
      timeoutMs: destination.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      random: options.random ?? Math.random,
      onFailure,
    }),
  );
  let closed: Promise<void> | undefined;
  return {
    export(alert, event) {
      // One id per event, shared by destinations, so a SIEM receiving both can correlate them.
      const deliveryId = randomUUID();
      for (const queue of queues) {
        try {
          queue.push({ alert, event, deliveryId });
        } catch {
          // push reports its own failures; this guards the caller against a listener's bug.
        }
      }
    },
    close(closeOptions) {
      const deadline = Date.now() + (closeOptions?.deadlineMs ?? 5_000);
      closed ??= Promise.all(queues.map((queue) => queue.close(deadline))).then(() => undefined);
      return closed;
    },
    stats: () => queues.map((queue) => queue.stats()),
  };
}

/**
 * The analytics runner's `onAlert` hook feeding `exporter`: a created alert is exported as
 * `created`, an occurrence merged into an active one as `updated`.
 */
export function exportOnAlert(exporter: AlertExporter): (alert: Alert, result: 'created' | 'merged') => void {
  return (alert, result) => exporter.export(alert, result === 'created' ? 'created' : 'updated');
}

/**
 * The hook of `observeAlertStatus` feeding `exporter`: an alert an analyst dismissed or resolved is
 * exported as `dismissed` or `resolved`, with its new status in the snapshot.
 */
export function exportOnStatusChange(exporter: AlertExporter): (alert: Alert) => void {
  return (alert) => {
    if (alert.status === 'dismissed' || alert.status === 'resolved') exporter.export(alert, alert.status);
  };
}
