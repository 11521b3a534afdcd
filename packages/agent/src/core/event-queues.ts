/**
 * The three send queues (High, Low, Operational) and the routing of events into them by configured
 * priority (reference/azure-security-module.md §2.4, §2.5). Shares of the local cache follow the C#
 * agent: High 0.5, Low the other 0.5, Operational 0.1 of `maxLocalCacheSizeInBytes`.
 */
import type { SecurityEvent } from '@vigil/protocol';
import { createEventQueue, type EventQueue, type QueueName } from './event-queue.js';

/** Twin `eventPriority<Name>` values (§2.5). */
export type EventPriority = 'High' | 'Low' | 'Off';

/** Default `eventPriority<Name>` per event name (§2.5); names not listed are Low. */
export const DEFAULT_EVENT_PRIORITIES: Readonly<Record<string, EventPriority>> = Object.freeze({
  ConnectedHardware: 'Low',
  ListeningPorts: 'High',
  ProcessCreate: 'Low',
  ProcessTerminate: 'Low',
  SystemInformation: 'Low',
  LocalUsers: 'High',
  Login: 'High',
  ConnectionCreate: 'Low',
  FirewallConfiguration: 'Low',
  OSBaseline: 'Low',
  Diagnostic: 'Low',
  ConfigurationError: 'Low',
  DroppedEventsStatistics: 'Low',
  MessageStatistics: 'Low',
});

/** `maxLocalCacheSizeInBytes` default of the twin schema (§2.5). */
export const DEFAULT_MAX_LOCAL_CACHE_BYTES = 2_560_000;

/** The serialised size of one event in bytes. */
export type EventSizer = (event: SecurityEvent) => number;

/** UTF-8 length of the event's JSON, the default queue accounting. */
export const jsonEventSize: EventSizer = (event) => Buffer.byteLength(JSON.stringify(event), 'utf8');

/** Options for {@link createEventQueues}. */
export interface EventQueuesOptions {
  readonly maxLocalCacheSizeInBytes?: number;
  readonly priorities?: Readonly<Record<string, EventPriority>>;
  readonly sizeOf?: EventSizer;
  /** `maxMessageSizeInBytes`: an event larger than a whole message is dropped on arrival (§2.4). */
  readonly maxMessageSizeInBytes?: number;
}

/** Where {@link EventQueues.enqueue} put an event. */
export type EnqueueOutcome = QueueName | 'off' | 'dropped';

/** The three queues with their routing. */
export interface EventQueues {
  readonly high: EventQueue;
  readonly low: EventQueue;
  readonly operational: EventQueue;
  /** Routes an event by its priority; `Off` events are never queued (§2.4). */
  enqueue(event: SecurityEvent): EnqueueOutcome;
  /** Bytes waiting in all queues. */
  readonly totalBytes: number;
  configure(options: Omit<EventQueuesOptions, 'sizeOf'>): void;
}

const SHARES: Readonly<Record<QueueName, number>> = { High: 0.5, Low: 0.5, Operational: 0.1 };

/** Empty queues sized from `maxLocalCacheSizeInBytes`. */
export function createEventQueues(options: EventQueuesOptions = {}): EventQueues {
  const sizeOf = options.sizeOf ?? jsonEventSize;
  let total = options.maxLocalCacheSizeInBytes ?? DEFAULT_MAX_LOCAL_CACHE_BYTES;
  let priorities = { ...DEFAULT_EVENT_PRIORITIES, ...options.priorities };
  const share = (q: QueueName) => Math.floor(total * SHARES[q]);
  const high = createEventQueue('High', share('High'));
  const low = createEventQueue('Low', share('Low'));
  const operational = createEventQueue('Operational', share('Operational'));
  const setMaxItem = (bytes: number) => {
    for (const q of [high, low, operational]) q.setMaxItemBytes(bytes);
  };
  if (options.maxMessageSizeInBytes !== undefined) setMaxItem(options.maxMessageSizeInBytes);

  return {
    high,
    low,
    operational,
    enqueue(event) {
      const priority = priorities[event.name] ?? 'Low';
      if (priority === 'Off') return 'off';
      const queue = event.eventType === 'Operational' ? operational : priority === 'High' ? high : low;
      return queue.push({ event, size: sizeOf(event) }) ? queue.name : 'dropped';
    },
    get totalBytes() {
      return high.bytes + low.bytes + operational.bytes;
    },
    configure(next) {
      if (next.maxMessageSizeInBytes !== undefined) setMaxItem(next.maxMessageSizeInBytes);
      if (next.priorities !== undefined) priorities = { ...DEFAULT_EVENT_PRIORITIES, ...next.priorities };
      if (next.maxLocalCacheSizeInBytes !== undefined) {
        total = next.maxLocalCacheSizeInBytes;
        high.setMaxBytes(share('High'));
        low.setMaxBytes(share('Low'));
        operational.setMaxBytes(share('Operational'));
      }
    },
  };
}
