/**
 * The collection scheduler: collectors grouped by priority (High / Medium / Low), each group with its
 * own interval, a randomized first collection, never two runs of one collector at once, and a
 * per-collector timeout. Follows the RTOS core (reference/azure-security-module.md §1.3): at start a
 * random moment `first + rand(2 × first)` is chosen, every collector fires at it and then every
 * `interval` of its group; one timer is armed for the nearest due collector.
 */
import type {
  CollectionResult,
  Collector,
  CollectorContext,
  CollectorPriority,
} from '../collectors/index.js';
import { safeCollect } from '../collectors/index.js';
import type { Clock, Timer } from './clock.js';
import { silentLogger, type CoreLogger } from './logger.js';
import type { Random } from './random.js';

/** Interval of each priority group, milliseconds. */
export type PriorityIntervals = Readonly<Record<CollectorPriority, number>>;

/** RTOS profile defaults, reference §1.3 (`ASC_{HIGH,MEDIUM,LOW}_PRIORITY_INTERVAL` 10/30/60 s). */
export const DEFAULT_PRIORITY_INTERVALS_MS: PriorityIntervals = Object.freeze({
  High: 10_000,
  Medium: 30_000,
  Low: 60_000,
});

/** `ASC_FIRST_COLLECTION_INTERVAL` (30 s): the first collection lands 30–89 s after start (§1.3). */
export const DEFAULT_FIRST_COLLECTION_MS = 30_000;

/** Default per-collector timeout. */
export const DEFAULT_COLLECTOR_TIMEOUT_MS = 20_000;

/** What a collection run may use besides its signal and interval, which the scheduler supplies. */
export type BaseCollectorContext = Omit<CollectorContext, 'signal' | 'intervalSeconds' | 'clock'>;

/** One finished (or timed-out) collection, handed to `onResult`. */
export interface CollectionRun {
  readonly collectorId: string;
  readonly priority: CollectorPriority;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly timedOut: boolean;
  readonly result: CollectionResult;
}

/** Options for {@link createScheduler}. */
export interface SchedulerOptions {
  readonly clock: Clock;
  readonly collectors: readonly Collector[];
  readonly context: BaseCollectorContext;
  readonly onResult: (run: CollectionRun) => void;
  readonly random?: Random;
  readonly intervalsMs?: Partial<PriorityIntervals>;
  /** Base of the randomized first collection; 0 or less collects at once. */
  readonly firstCollectionMs?: number;
  readonly timeoutMs?: number;
  /** Per-id switch; collectors not listed are enabled. */
  readonly enabled?: Readonly<Record<string, boolean>>;
  /** Per-id priority group, overriding the collector's own. */
  readonly priorities?: Readonly<Record<string, CollectorPriority>>;
  readonly logger?: CoreLogger;
}

/** Counters of one collector, for diagnostics and tests. */
export interface CollectorRunStats {
  readonly runs: number;
  readonly timeouts: number;
  /** Due moments skipped because the previous run had not finished. */
  readonly overlapsSkipped: number;
  readonly lastStartedAt: number | undefined;
  readonly nextDueAt: number | undefined;
}

/** The running scheduler. */
export interface Scheduler {
  start(): void;
  /** Stops the timer and aborts runs in flight; their results are discarded. */
  stop(): void;
  readonly running: boolean;
  /** Changes group intervals now: the next run of each collector moves to `last start + new interval`. */
  setIntervals(intervalsMs: Partial<PriorityIntervals>): void;
  setTimeoutMs(timeoutMs: number): void;
  /** Enables or disables a collector; disabling aborts a run in flight. */
  setEnabled(collectorId: string, enabled: boolean): void;
  setPriority(collectorId: string, priority: CollectorPriority): void;
  stats(collectorId: string): CollectorRunStats | undefined;
}

interface Entry {
  readonly collector: Collector;
  priority: CollectorPriority;
  enabled: boolean;
  lastStartedAt: number | undefined;
  nextDueAt: number | undefined;
  inFlight: AbortController | undefined;
  runs: number;
  timeouts: number;
  overlapsSkipped: number;
}

const ORDER: readonly CollectorPriority[] = ['High', 'Medium', 'Low'];

/** A scheduler over `collectors`; call `start()` to begin. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, onResult } = options;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const firstMs = options.firstCollectionMs ?? DEFAULT_FIRST_COLLECTION_MS;
  let intervals: PriorityIntervals = { ...DEFAULT_PRIORITY_INTERVALS_MS, ...options.intervalsMs };
  let timeoutMs = options.timeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS;
  let timer: Timer | undefined;
  let running = false;

  const entries = new Map<string, Entry>();
  for (const collector of options.collectors) {
    entries.set(collector.id, {
      collector,
      priority: options.priorities?.[collector.id] ?? collector.priority,
      enabled: options.enabled?.[collector.id] ?? true,
      lastStartedAt: undefined,
      nextDueAt: undefined,
      inFlight: undefined,
      runs: 0,
      timeouts: 0,
      overlapsSkipped: 0,
    });
  }

  function arm(): void {
    timer?.cancel();
    timer = undefined;
    if (!running) return;
    let due: number | undefined;
    for (const e of entries.values()) {
      if (e.enabled && e.nextDueAt !== undefined && (due === undefined || e.nextDueAt < due))
        due = e.nextDueAt;
    }
    if (due !== undefined) timer = clock.setTimer(fire, due - clock.now());
  }

  function fire(): void {
    timer = undefined;
    const now = clock.now();
    const due = [...entries.values()]
      .filter((e) => e.enabled && e.nextDueAt !== undefined && e.nextDueAt <= now)
      .sort((a, b) => ORDER.indexOf(a.priority) - ORDER.indexOf(b.priority));
    for (const e of due) {
      const interval = intervals[e.priority];
      // Keep the cadence anchored on the due time, but never schedule a burst to catch up.
      const next = (e.nextDueAt ?? now) + interval;
      e.nextDueAt = next > now ? next : now + interval;
      if (e.inFlight !== undefined) {
        e.overlapsSkipped += 1;
        logger.log('warn', 'collection skipped: previous run still in progress', {
          collector: e.collector.id,
        });
        continue;
      }
      run(e, now);
    }
    arm();
  }

  function run(e: Entry, startedAt: number): void {
    const controller = new AbortController();
    const priority = e.priority;
    e.inFlight = controller;
    e.lastStartedAt = startedAt;
    e.runs += 1;
    let reported = false;
    const report = (result: CollectionResult, timedOut: boolean): void => {
      if (reported || (controller.signal.aborted && !timedOut)) return;
      reported = true;
      onResult({
        collectorId: e.collector.id,
        priority,
        startedAt,
        finishedAt: clock.now(),
        timedOut,
        result,
      });
    };
    const timeout = clock.setTimer(() => {
      e.timeouts += 1;
      logger.log('warn', 'collector timed out', { collector: e.collector.id, timeoutMs });
      const message = `collection timed out after ${timeoutMs} ms`;
      report({ events: [], errors: [{ collectorId: e.collector.id, code: 'ABORTED', message }] }, true);
      controller.abort(new DOMException(message, 'TimeoutError'));
    }, timeoutMs);
    const context: CollectorContext = {
      ...options.context,
      clock,
      signal: controller.signal,
      intervalSeconds: intervals[priority] / 1000,
    };
    void safeCollect(e.collector, context).then((result) => {
      timeout.cancel();
      // The run counts as in flight until it really ends, even after a timeout: no overlap, ever.
      if (e.inFlight === controller) e.inFlight = undefined;
      report(result, false);
    });
  }

  function abort(e: Entry): void {
    e.inFlight?.abort(new DOMException('collection stopped', 'AbortError'));
  }

  return {
    start() {
      if (running) return;
      running = true;
      const startAt = clock.now() + (firstMs > 0 ? firstMs + Math.floor(random() * 2 * firstMs) : 0);
      for (const e of entries.values()) e.nextDueAt = startAt;
      logger.log('info', 'collection scheduled', { firstCollectionAt: new Date(startAt).toISOString() });
      arm();
    },
    stop() {
      running = false;
      arm();
      for (const e of entries.values()) {
        abort(e);
        e.nextDueAt = undefined;
      }
    },
    get running() {
      return running;
    },
    setIntervals(next) {
      intervals = { ...intervals, ...next };
      const now = clock.now();
      for (const e of entries.values()) {
        if (e.lastStartedAt !== undefined && e.nextDueAt !== undefined) {
          e.nextDueAt = Math.max(now, e.lastStartedAt + intervals[e.priority]);
        }
      }
      arm();
    },
    setTimeoutMs(ms) {
      timeoutMs = ms;
    },
    setEnabled(id, enabled) {
      const e = entries.get(id);
      if (e === undefined || e.enabled === enabled) return;
      e.enabled = enabled;
      if (!enabled) abort(e);
      else if (running && e.lastStartedAt !== undefined) {
        e.nextDueAt = Math.max(clock.now(), e.lastStartedAt + intervals[e.priority]);
      }
      arm();
    },
    setPriority(id, priority) {
      const e = entries.get(id);
      if (e === undefined) return;
      e.priority = priority;
      if (e.lastStartedAt !== undefined && e.nextDueAt !== undefined) {
        e.nextDueAt = Math.max(clock.now(), e.lastStartedAt + intervals[priority]);
      }
      arm();
    },
    stats(id) {
      const e = entries.get(id);
      if (e === undefined) return undefined;
      const { runs, timeouts, overlapsSkipped, lastStartedAt, nextDueAt } = e;
      return { runs, timeouts, overlapsSkipped, lastStartedAt, nextDueAt };
    },
  };
}
