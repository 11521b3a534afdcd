/**
 * Aggregation of repeated events (reference/azure-security-module.md §2.3): identical ProcessCreate,
 * ConnectionCreate and ProcessTerminate items inside one window become a single `Aggregated` event
 * per distinct payload, with a hit count and the first and last time the payload was seen. Items
 * are compared on the fields §2.3 names; the fields that differ between hits (process ids, the
 * ephemeral port) are zeroed in the output, as both legacy agents do.
 */
import type {
  NetworkFlow,
  ProcessRecord,
  SecurityEvent,
  SecurityEventType,
  WireFormat,
} from '@vigil/protocol';
import type { Clock } from './clock.js';

/** The event names that can be aggregated (twin keys `aggregationEnabled<Name>`). */
export type AggregatedEventName = 'ProcessCreate' | 'ConnectionCreate' | 'ProcessTerminate';

/** Aggregation settings of one event name. */
export interface AggregationSetting {
  readonly enabled: boolean;
  readonly intervalMs: number;
}

/** Settings of every aggregated event name. */
export type AggregationSettings = Readonly<Record<AggregatedEventName, AggregationSetting>>;

/** Twin defaults (§2.5): enabled, window PT1H. */
export const DEFAULT_AGGREGATION: AggregationSettings = Object.freeze({
  ProcessCreate: { enabled: true, intervalMs: 3_600_000 },
  ConnectionCreate: { enabled: true, intervalMs: 3_600_000 },
  ProcessTerminate: { enabled: true, intervalMs: 3_600_000 },
});

/** Options for {@link createAggregator}. */
export interface AggregatorOptions {
  readonly clock: Clock;
  readonly newId: () => string;
  readonly settings?: Partial<AggregationSettings>;
}

/** Collects aggregatable items and releases them as `Aggregated` events when windows end. */
export interface Aggregator {
  /** Takes what can be aggregated; returns the events (or remaining parts) that pass straight through. */
  add(event: SecurityEvent): SecurityEvent[];
  /** Aggregated events of every window that has ended by now. */
  flushDue(): SecurityEvent[];
  /** Aggregated events of every open window, ended or not (shutdown). */
  flushAll(): SecurityEvent[];
  /** New settings; names whose aggregation is switched off are flushed at once (§2.3). */
  configure(settings: Partial<AggregationSettings>): SecurityEvent[];
  /** Distinct payloads currently held. */
  readonly pending: number;
}

type Item =
  | { readonly kind: 'process'; readonly record: ProcessRecord }
  | { readonly kind: 'flow'; readonly flow: NetworkFlow };

interface Bucket {
  readonly item: Item;
  readonly eventType: SecurityEventType;
  readonly format: WireFormat;
  hits: number;
  first: number;
  last: number;
}

interface Window {
  readonly startedAt: number;
  readonly buckets: Map<string, Bucket>;
}

const NAMES: readonly AggregatedEventName[] = ['ProcessCreate', 'ConnectionCreate', 'ProcessTerminate'];

function isAggregatedName(name: string): name is AggregatedEventName {
  return (NAMES as readonly string[]).includes(name);
}

/** The identity of an item and its aggregated form, per §2.3. */
function normalise(name: AggregatedEventName, item: Item): { key: string; item: Item } {
  if (item.kind === 'process') {
    const r = item.record;
    const key =
      name === 'ProcessCreate'
        ? JSON.stringify([r.commandLine, r.executable, r.userId, r.userName])
        : JSON.stringify([r.executable, r.exitStatus]);
    const record: ProcessRecord = {
      ...r,
      processId: 0,
      hitCount: 1,
      ...(name === 'ProcessCreate' ? { parentProcessId: 0 } : {}),
    };
    return { key, item: { kind: 'process', record } };
  }
  const f = item.flow;
  const inbound = f.direction === 'in';
  const port = inbound ? f.localPort : f.remotePort;
  const key = JSON.stringify([
    f.ipVersion,
    f.commandLine,
    f.executable,
    f.userId,
    f.direction,
    f.localAddress,
    f.remoteAddress,
    f.protocol,
    port,
  ]);
  // "processId and source port set to 0" (DOCS, §2.3): the source port is remote for inbound flows.
  const flow: NetworkFlow = { ...f, processId: 0, ...(inbound ? { remotePort: '0' } : { localPort: '0' }) };
  return { key, item: { kind: 'flow', flow } };
}

function itemsOf(event: SecurityEvent): Item[] | undefined {
  if (event.kind === 'process') return event.processes.map((record) => ({ kind: 'process', record }));
  if (event.kind === 'network-activity') return event.flows.map((flow) => ({ kind: 'flow', flow }));
  return undefined;
}

/**
 * The ExtraDetails both legacy agents put on an aggregated item (§2.3), as strings (the C# form,
 * which the published ExtraDetails schema allows). The device's local zone is not known here, so the
 * local times are written in UTC.
 */
function aggregationDetails(b: Bucket): Record<string, string> {
  const start = new Date(b.first).toISOString();
  const end = new Date(b.last).toISOString();
  return {
    HitCount: String(b.hits),
    StartTimeLocal: start,
    StartTimeUtc: start,
    EndTimeLocal: end,
    EndTimeUtc: end,
  };
}

/** An aggregator with the twin defaults unless `settings` says otherwise. */
export function createAggregator(options: AggregatorOptions): Aggregator {
  const { clock, newId } = options;
  let settings: AggregationSettings = { ...DEFAULT_AGGREGATION, ...options.settings };
  const windows = new Map<AggregatedEventName, Window>();

  function emit(name: AggregatedEventName, window: Window): SecurityEvent[] {
    windows.delete(name);
    const out: SecurityEvent[] = [];
    for (const b of window.buckets.values()) {
      const header = {
        id: newId(),
        name,
        eventType: b.eventType,
        category: 'Aggregated' as const,
        timeUtc: clock.now(),
        format: b.format,
        aggregation: { hitCount: b.hits, startTimeUtc: b.first, endTimeUtc: b.last },
      };
      const details = aggregationDetails(b);
      out.push(
        b.item.kind === 'process'
          ? {
              ...header,
              kind: 'process',
              processes: [
                {
                  ...b.item.record,
                  hitCount: b.hits,
                  extraDetails: { ...b.item.record.extraDetails, ...details },
                },
              ],
            }
          : {
              ...header,
              kind: 'network-activity',
              flows: [{ ...b.item.flow, extraDetails: { ...b.item.flow.extraDetails, ...details } }],
            },
      );
    }
    return out;
  }

  function flush(due: boolean): SecurityEvent[] {
    const now = clock.now();
    const out: SecurityEvent[] = [];
    for (const [name, window] of [...windows]) {
      if (!due || now >= window.startedAt + settings[name].intervalMs) out.push(...emit(name, window));
    }
    return out;
  }

  return {
    add(event) {
      const name = event.name;
      const items = itemsOf(event);
      if (!isAggregatedName(name) || items === undefined || !settings[name].enabled) return [event];
      const at = event.timeUtc ?? clock.now();
      let window = windows.get(name);
      if (window === undefined) {
        window = { startedAt: clock.now(), buckets: new Map() };
        windows.set(name, window);
      }
      for (const raw of items) {
        const { key, item } = normalise(name, raw);
        const bucket = window.buckets.get(key);
        if (bucket === undefined) {
          window.buckets.set(key, {
            item,
            eventType: event.eventType,
            format: event.format,
            hits: 1,
            first: at,
            last: at,
          });
        } else {
          bucket.hits += 1;
          bucket.first = Math.min(bucket.first, at);
          bucket.last = Math.max(bucket.last, at);
        }
      }
      return [];
    },
    flushDue: () => flush(true),
    flushAll: () => flush(false),
    configure(next) {
      settings = { ...settings, ...next };
      const out: SecurityEvent[] = [];
      for (const [name, window] of [...windows]) if (!settings[name].enabled) out.push(...emit(name, window));
      return out;
    },
    get pending() {
      let n = 0;
      for (const w of windows.values()) n += w.buckets.size;
      return n;
    },
  };
}
