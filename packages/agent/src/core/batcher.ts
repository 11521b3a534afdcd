/**
 * Building one message from the queues (reference/azure-security-module.md §2.4): operational events
 * first, then the preferred queue, then — only if the preferred queue gave something — the other
 * queue as padding, each taken greedily in FIFO order until the next event would not fit in
 * `maxMessageSizeInBytes`. The encoder is pluggable (JSON 1.0 or FlatBuffers 2.3); its real output
 * is checked against the limit and events that overflow go back to the front of their queue.
 */
import type { SecurityEvent } from '@vigil/protocol';
import type { EventQueue, SizedEvent } from './event-queue.js';
import type { EventQueues } from './event-queues.js';

/** Serialises a list of events into one message body. */
export type MessageEncoder = (events: readonly SecurityEvent[]) => Uint8Array;

/** `maxMessageSizeInBytes` default of the twin schema (§2.5). */
export const DEFAULT_MAX_MESSAGE_BYTES = 204_800;

/** Which queue a message is built for; it becomes the message's priority. */
export type MessagePriority = 'High' | 'Low';

/** A message ready to send. */
export interface OutgoingMessage {
  readonly priority: MessagePriority;
  readonly body: Uint8Array;
  readonly eventCount: number;
  /** Epoch milliseconds when it was built. */
  readonly createdAt: number;
}

/**
 * Queue accounting by the encoder's own output (the brief's "size of the serialised event"): the size
 * of a one-event message minus the envelope every message pays once. The envelope is measured on the
 * first event seen as `2 × size([e]) − size([e, e])`.
 */
export function encodedEventSize(encoder: MessageEncoder): (event: SecurityEvent) => number {
  let envelope: number | undefined;
  return (event) => {
    const one = encoder([event]).byteLength;
    envelope ??= Math.max(0, 2 * one - encoder([event, event]).byteLength);
    return Math.max(1, one - envelope);
  };
}

/** Options for {@link buildMessage}. */
export interface BuildMessageOptions {
  readonly queues: EventQueues;
  readonly preferred: MessagePriority;
  readonly maxMessageSizeInBytes: number;
  readonly encoder: MessageEncoder;
  readonly now: number;
  /** Told about an event dropped because its encoding alone exceeds the maximum message size. */
  readonly onOversized?: (event: SecurityEvent) => void;
}

interface Taken {
  readonly queue: EventQueue;
  readonly item: SizedEvent;
}

/** Takes events off the queues for one message; undefined when all relevant queues are empty. */
export function buildMessage(options: BuildMessageOptions): OutgoingMessage | undefined {
  const { queues, preferred, maxMessageSizeInBytes: max, encoder } = options;
  const main = preferred === 'High' ? queues.high : queues.low;
  const padding = preferred === 'High' ? queues.low : queues.high;
  const taken: Taken[] = [];
  let overhead: number | undefined;
  let estimate = 0;

  const take = (queue: EventQueue): number => {
    let count = 0;
    for (let next = queue.peek(); next !== undefined; next = queue.peek()) {
      // The envelope's size is learnt from the first event's real encoding.
      overhead ??= Math.max(0, encoder([next.event]).byteLength - next.size);
      const size = next.size + (taken.length === 0 ? 0 : 1);
      if (overhead + estimate + size > max && taken.length > 0) break;
      queue.shift();
      taken.push({ queue, item: next });
      estimate += size;
      count += 1;
    }
    return count;
  };

  take(queues.operational);
  if (take(main) > 0) take(padding);
  if (taken.length === 0) return undefined;

  let body = encoder(taken.map((t) => t.item.event));
  // Estimates may be off for formats whose size is not additive; trust the real encoding.
  while (body.byteLength > max && taken.length > 1) {
    const back = taken.pop()!;
    back.queue.restore([back.item]);
    body = encoder(taken.map((t) => t.item.event));
  }
  if (body.byteLength > max) {
    // §2.4: an event larger than a whole message is dropped, never sent oversized.
    const [only] = taken;
    only?.queue.countDropped(1);
    if (only !== undefined) options.onOversized?.(only.item.event);
    return buildMessage(options);
  }
  return { priority: preferred, body, eventCount: taken.length, createdAt: options.now };
}
