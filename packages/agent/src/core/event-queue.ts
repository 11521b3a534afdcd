/**
 * One byte-capped FIFO of events waiting to be sent. The cap counts the serialised size of each
 * event; when a new event does not fit, the **oldest** events are evicted to make room (the C# agent's
 * policy, reference/azure-security-module.md §2.4), and every eviction is counted for the
 * DroppedEventsStatistics event.
 */
import type { SecurityEvent } from '@vigil/protocol';

/** The three queues of §2.4. */
export type QueueName = 'High' | 'Low' | 'Operational';

/** An event with its serialised size, as queues hold it. */
export interface SizedEvent {
  readonly event: SecurityEvent;
  readonly size: number;
}

/** Counters since the last statistics report. */
export interface QueueCounters {
  /** Events offered to the queue. */
  readonly collected: number;
  /** Events dropped: evicted as oldest, or too large to ever fit. */
  readonly dropped: number;
}

/** A byte-capped FIFO. */
export interface EventQueue {
  readonly name: QueueName;
  readonly bytes: number;
  readonly length: number;
  readonly maxBytes: number;
  /** Adds an event, evicting the oldest as needed; false when the event alone exceeds the cap. */
  push(item: SizedEvent): boolean;
  /** The oldest event, without removing it. */
  peek(): SizedEvent | undefined;
  /** Removes and returns the oldest event. */
  shift(): SizedEvent | undefined;
  /** Puts events back at the front, in the order given (a message that did not fit after all). */
  restore(items: readonly SizedEvent[]): void;
  /** Events larger than this are dropped on arrival (§2.4: larger than the maximum message size). */
  setMaxItemBytes(maxItemBytes: number): void;
  /** Changes the cap; evicts the oldest events if the queue is now over it. */
  setMaxBytes(maxBytes: number): void;
  /** Counts events dropped after they left the queue (too large once encoded). */
  countDropped(count: number): void;
  /** Counters since the previous call, which resets them. */
  takeCounters(): QueueCounters;
  readonly counters: QueueCounters;
}

/** An empty queue capped at `maxBytes`. */
export function createEventQueue(name: QueueName, maxBytes: number): EventQueue {
  let items: (SizedEvent | undefined)[] = [];
  let head = 0;
  let bytes = 0;
  let cap = maxBytes;
  let maxItem = Infinity;
  let collected = 0;
  let dropped = 0;

  function evictOldest(): void {
    const oldest = items[head];
    if (oldest === undefined) return;
    items[head] = undefined;
    head += 1;
    bytes -= oldest.size;
    dropped += 1;
    compact();
  }

  function compact(): void {
    // Amortised O(1) shifts: drop the consumed prefix once it is half the array.
    if (head > 64 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
  }

  return {
    name,
    get bytes() {
      return bytes;
    },
    get length() {
      return items.length - head;
    },
    get maxBytes() {
      return cap;
    },
    push(item) {
      collected += 1;
      if (item.size > cap || item.size > maxItem) {
        dropped += 1;
        return false;
      }
      while (bytes + item.size > cap) evictOldest();
      items.push(item);
      bytes += item.size;
      return true;
    },
    peek: () => items[head],
    shift() {
      const item = items[head];
      if (item === undefined) return undefined;
      items[head] = undefined;
      head += 1;
      bytes -= item.size;
      compact();
      return item;
    },
    restore(back) {
      items = [...back, ...items.slice(head)];
      head = 0;
      for (const b of back) bytes += b.size;
      while (bytes > cap) evictOldest();
    },
    setMaxItemBytes(next) {
      maxItem = next;
    },
    setMaxBytes(next) {
      cap = next;
      while (bytes > cap) evictOldest();
    },
    countDropped(count) {
      dropped += count;
    },
    takeCounters() {
      const c = { collected, dropped };
      collected = 0;
      dropped = 0;
      return c;
    },
    get counters() {
      return { collected, dropped };
    },
  };
}
