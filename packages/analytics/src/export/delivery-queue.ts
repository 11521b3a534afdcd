import { backoffDelay, type ResolvedRetryPolicy } from './backoff.js';
import type {
  AlertExportFailure,
  Delivery,
  DestinationStats,
  ExportFailureReason,
  SendOutcome,
  Transport,
} from './types.js';
import { LIFECYCLE_EVENTS } from './types.js';

/** Options of {@link createDeliveryQueue}. */
export interface DeliveryQueueOptions {
  readonly transport: Transport;
  readonly maxQueue: number;
  readonly retry: ResolvedRetryPolicy;
  readonly timeoutMs: number;
  readonly random: () => number;
  readonly onFailure: (failure: AlertExportFailure) => void;
}

/** One destination's bounded queue with a single worker: deliveries leave in order, one at a time. */
export interface DeliveryQueue {
  /** Enqueues without waiting; drops (and reports) when full or closed. */
  push(delivery: Delivery): void;
  /** Stops accepting, delivers what it can until `deadline` (epoch ms), then abandons the rest. */
  close(deadline: number): Promise<void>;
  stats(): DestinationStats;
}

/** A wait that ends early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Creates a destination's queue (see {@link DeliveryQueue}). */
export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { transport, retry } = options;
  const stats: DestinationStats = {
    destination: transport.name,
    delivered: 0,
    retries: 0,
    failed: 0,
    dropped: 0,
    queued: 0,
    coalesced: 0,
  };
  const items: Delivery[] = [];
  const closing = new AbortController();
  let accepting = true;
  let worker: Promise<void> | undefined;

  const report = (delivery: Delivery, reason: ExportFailureReason, attempts: number, detail?: string) => {
    try {
      options.onFailure({
        destination: transport.name,
        reason,
        alertId: delivery.alert.id,
        typeId: delivery.alert.typeId,
        event: delivery.event,
        attempts,
        ...(detail === undefined ? {} : { detail }),
      });
    } catch {
      // A failing error listener must not stop the worker.
    }
  };

  /** One attempt, cut short by the per-attempt timeout or by the close deadline. */
  const attempt = async (delivery: Delivery): Promise<SendOutcome> => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`timeout after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const onClose = () => controller.abort(new Error('exporter closed before delivery'));
    closing.signal.addEventListener('abort', onClose, { once: true });
    try {
      return await transport.send(delivery, controller.signal);
    } catch (error) {
      // Transports return outcomes; a throw is a bug, still retried rather than lost.
      return { ok: false, retryable: true, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      closing.signal.removeEventListener('abort', onClose);
    }
  };

  const deliver = async (delivery: Delivery): Promise<void> => {
    for (let attempts = 1; ; attempts += 1) {
      const outcome = await attempt(delivery);
      if (outcome.ok) {
        stats.delivered += 1;
        return;
      }
      if (closing.signal.aborted) {
        stats.dropped += 1;
        return report(delivery, 'closed', attempts, outcome.reason);
      }
      if (!outcome.retryable || attempts >= retry.maxAttempts) {
        stats.failed += 1;
        return report(delivery, outcome.retryable ? 'gave-up' : 'rejected', attempts, outcome.reason);
      }
      stats.retries += 1;
      const delay =
        outcome.retryAfterMs === undefined
          ? backoffDelay(attempts, retry, options.random)
          : Math.min(retry.maxDelayMs, outcome.retryAfterMs);
      await sleep(delay, closing.signal);
    }
  };

  const pump = async (): Promise<void> => {
    for (let next = items.shift(); next !== undefined; next = items.shift()) {
      stats.queued = items.length;
      if (closing.signal.aborted) {
        stats.dropped += 1;
        report(next, 'closed', 0);
      } else {
        await deliver(next);
      }
    }
  };

  const kick = () => {
    worker ??= pump().finally(() => {
      worker = undefined;
      // An item pushed while the worker was finishing its last delivery still needs a worker.
      if (items.length > 0) kick();
    });
  };

  return {
    push(delivery) {
      if (!accepting) {
        stats.dropped += 1;
        return report(delivery, 'closed', 0);
      }
      // A newer snapshot of an alert still waiting replaces it (a created event stays created): a
      // noisy alert costs one queued event, not one per occurrence, and receivers see the latest.
      // Only occurrences fold, and only into the alert's last waiting event when that is no status
      // change: a dismissal or resolution is a fact of its own, and what follows it must stay after it.
      const last = items.findLastIndex((item) => item.alert.id === delivery.alert.id);
      const waiting =
        last === -1 || LIFECYCLE_EVENTS.has(delivery.event) || LIFECYCLE_EVENTS.has(items[last]!.event)
          ? -1
          : last;
      if (waiting !== -1) {
        const existing = items[waiting]!;
        if (delivery.alert.updatedAt >= existing.alert.updatedAt) {
          items[waiting] = { ...existing, alert: delivery.alert };
        }
        stats.coalesced += 1;
        return;
      }
      if (items.length >= options.maxQueue) {
        stats.dropped += 1;
        return report(delivery, 'queue-full', 0);
      }
      items.push(delivery);
      stats.queued = items.length;
      kick();
    },
    async close(deadline) {
      accepting = false;
      const remaining = Math.max(0, deadline - Date.now());
      const timer = setTimeout(() => closing.abort(), remaining);
      while (worker !== undefined) await worker;
      clearTimeout(timer);
      closing.abort();
      transport.close();
    },
    stats: () => ({ ...stats }),
  };
}
