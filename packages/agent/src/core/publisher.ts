/**
 * When messages are built (reference/azure-security-module.md §2.4): a High message when the
 * high-priority frequency has elapsed or a full message's worth of events is waiting, a Low message
 * when the low-priority frequency has elapsed. Each time, the queue is drained into as many
 * messages as it takes.
 */
import { buildMessage, type MessageEncoder, type MessagePriority, type OutgoingMessage } from './batcher.js';
import type { SecurityEvent } from '@vigil/protocol';
import type { Clock } from './clock.js';
import type { EventQueues } from './event-queues.js';

/** The frequencies and size limit in force; read at every check so changes apply live. */
export interface PublisherSettings {
  readonly highPriorityMessageFrequencyMs: number;
  readonly lowPriorityMessageFrequencyMs: number;
  readonly maxMessageSizeInBytes: number;
}

/** Options for {@link createPublisher}. */
export interface PublisherOptions {
  readonly clock: Clock;
  readonly queues: EventQueues;
  readonly encoder: MessageEncoder;
  readonly settings: () => PublisherSettings;
  /** Told about each event dropped for being larger than a whole message. */
  readonly onOversized?: (event: SecurityEvent) => void;
}

/** Decides when to build messages and builds them. */
export interface Publisher {
  /** The messages due now (possibly none). */
  due(): OutgoingMessage[];
  /** Every queued event as messages, due or not (flush, shutdown). */
  all(): OutgoingMessage[];
  /** Starts both frequency periods from now. */
  reset(): void;
}

/** A publisher over `queues`. */
export function createPublisher(options: PublisherOptions): Publisher {
  const { clock, queues, encoder } = options;
  let lastHigh = clock.now();
  let lastLow = clock.now();

  function build(preferred: MessagePriority): OutgoingMessage[] {
    const out: OutgoingMessage[] = [];
    const main = preferred === 'High' ? queues.high : queues.low;
    const maxMessageSizeInBytes = options.settings().maxMessageSizeInBytes;
    // Operational events ride along; they make a message of their own only when nothing else is due.
    while (main.length > 0 || (out.length === 0 && queues.operational.length > 0)) {
      const message = buildMessage({
        queues,
        preferred,
        maxMessageSizeInBytes,
        encoder,
        now: clock.now(),
        ...(options.onOversized === undefined ? {} : { onOversized: options.onOversized }),
      });
      if (message === undefined) break;
      out.push(message);
    }
    return out;
  }

  return {
    due() {
      const now = clock.now();
      const s = options.settings();
      const out: OutgoingMessage[] = [];
      const full = queues.totalBytes >= s.maxMessageSizeInBytes;
      if (full || now - lastHigh >= s.highPriorityMessageFrequencyMs) {
        lastHigh = now;
        out.push(...build('High'));
      }
      // A full message of Low events waiting goes too (the C agent sends everything once the
      // queued bytes exceed a message); the Low frequency period itself keeps running.
      if (full && queues.totalBytes >= s.maxMessageSizeInBytes) out.push(...build('Low'));
      if (now - lastLow >= s.lowPriorityMessageFrequencyMs) {
        lastLow = now;
        out.push(...build('Low'));
      }
      return out;
    },
    all: () => [...build('High'), ...build('Low')],
    reset() {
      lastHigh = clock.now();
      lastLow = clock.now();
    },
  };
}
