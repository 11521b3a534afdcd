import type {
  Alert,
  CustomRule,
  IngestRecord,
  Store,
  StoreRepositories,
  StoreTransaction,
} from '@vigil/storage';
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

/** Default time one unit of work may keep the database (see {@link AnalyticsRunnerOptions.unitBudgetMs}). */
export const DEFAULT_UNIT_BUDGET_MS = 20;
/** Default budget of a unit while a backlog waits (see {@link AnalyticsRunnerOptions.backlogUnitBudgetMs}). */
export const DEFAULT_BACKLOG_UNIT_BUDGET_MS = 200;

const UNIT_OPTIONS = { durable: false } as const;

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
  /**
   * How long one unit of work (one transaction) goes on taking records of a read before it
   * commits them with the cursor and yields to the event loop (default 20 ms; at least one record).
   * On SQLite the hub's appends and the API wait while a unit holds the connection, so this bounds
   * how long a PUBACK or an API answer waits for analytics, and how soon a detected alert is listed.
   */
  readonly unitBudgetMs?: number;
  /**
   * The budget of a unit while a backlog waits (the read came back full; default 200 ms, never less
   * than `unitBudgetMs`). Small units after every yield would leave analytics a sliver of the event
   * loop next to the hub's ingest group commits, and the backlog would only grow; bigger units give
   * analytics its share while every PUBACK still waits at most about one unit.
   */
  readonly backlogUnitBudgetMs?: number;
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
   * `(alert, result) => exporter.export(alert, result === 'created' ? 'created' : 'updated')`, once
   * the unit of work that wrote it has committed (never for a write that was rolled back; a unit lost
   * to a power failure, whose commit does not wait for the disk, is processed again and may tell of
   * its alerts a second time).
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
  /** Units of work committed: each one transaction for a run of records and the cursor. */
  units: number;
}

/** The analytics consumer of the ingest log. */
export interface AnalyticsRunner {
  /** Processes every record after the group's cursor, committing after each unit of work; returns how many. */
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
 * Consumes the ingest log at least once and idempotently. Records are processed in units of work:
 * everything a run of records writes (events, device states, alerts, recommendations) and the
 * cursor past them commit in one transaction that does not wait for the disk (derived data: the
 * records themselves are durable in the ingest log), and a crash, a power failure or a failed
 * commit leaves neither the writes nor the cursor, and the records are processed again. Replays
 * change nothing twice anyway (alert occurrences are keyed by record id, events by their ids, device
 * state remembers the last record it absorbed). Between units the runner yields to the event loop, so
 * the hub in the same process keeps reading PUBLISHes and acknowledging appends.
 */
export function createAnalyticsRunner(options: AnalyticsRunnerOptions): AnalyticsRunner {
  // The time-based checks write through the store directly (each call its own commit), so their
  // alerts are reported as they are written; records' alerts are reported when their unit commits.
  const store =
    options.onAlert === undefined
      ? options.store
      : observeAlerts(options.store, options.onAlert, options.onError);
  const group = options.group ?? 'analytics';
  const consumer = options.consumer ?? 'analytics-1';
  const batchSize = options.batchSize ?? 256;
  const now = options.now ?? Date.now;
  const stats = emptyStats();
  const rulesCache = new Map<string, { rules: readonly CustomRule[]; at: number }>();
  const groupRules = async (
    reader: Pick<StoreRepositories, 'securityGroups'>,
    name: string,
  ): Promise<readonly CustomRule[]> => {
    const cached = rulesCache.get(name);
    if (cached !== undefined && now() - cached.at < (options.rulesCacheMs ?? 5_000)) return cached.rules;
    const rules = (await reader.securityGroups.get(name))?.rules ?? [];
    rulesCache.set(name, { rules, at: now() });
    return rules;
  };
  const unitBudgetMs = Math.max(0, options.unitBudgetMs ?? DEFAULT_UNIT_BUDGET_MS);
  const backlogUnitBudgetMs = Math.max(
    unitBudgetMs,
    options.backlogUnitBudgetMs ?? DEFAULT_BACKLOG_UNIT_BUDGET_MS,
  );

  /** One record, every read and write through `tx` (inside a unit, a call on the store would wait for the unit itself). */
  const processRecord = async (
    tx: StoreRepositories,
    record: IngestRecord,
    counts: AnalyticsRunnerStats,
  ): Promise<void> => {
    if (record.kind === 'operation') {
      const operation = readOperationRecord(record);
      if (operation !== undefined) {
        counts.operations += 1;
        await applyFindings(tx, detectHubAlerts(operation), record.id, counts);
        const regrouped = securityGroupChangeOf(operation);
        if (regrouped !== undefined) await refreshSecurityGroup(tx, regrouped);
      }
    } else {
      await processDeviceRecord(record, {
        store: tx,
        decode: options.decode,
        groupRules: (name) => groupRules(tx, name),
        outcome: counts,
        ...(options.threatIntel === undefined ? {} : { threatIntel: options.threatIntel }),
        ...(options.bruteForce === undefined ? {} : { bruteForce: options.bruteForce }),
      });
    }
  };

  /**
   * A record that keeps failing (a storage limit it exceeds, a bug) must not stall every record
   * behind it: each attempt is a nested unit (a savepoint), rolled back on its own when it fails, and
   * after a few attempts the record is skipped and reported. Retries come at once: waiting inside
   * the unit would keep the database from everyone else.
   */
  const processWithRetries = async (
    unit: StoreTransaction,
    record: IngestRecord,
    counts: AnalyticsRunnerStats,
    alerts: Array<[Alert, 'created' | 'merged']>,
  ): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const attemptCounts = emptyStats();
      const attemptAlerts: Array<[Alert, 'created' | 'merged']> = [];
      try {
        await unit.transaction((tx) =>
          processRecord(
            options.onAlert === undefined
              ? tx
              : observeAlerts(tx, (alert, result) => attemptAlerts.push([alert, result])),
            record,
            attemptCounts,
          ),
        );
        addStats(counts, attemptCounts);
        alerts.push(...attemptAlerts);
        return;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          counts.failedRecords += 1;
          options.onError?.(
            new Error(`analytics skipped ingest record ${record.id} after ${attempt} attempts`, {
              cause: error,
            }),
          );
          return;
        }
      }
    }
  };

  /**
   * One unit of work over `records` from `start`: records until the time budget is spent (at least
   * one), then the cursor past the last of them, all in one transaction. Returns where it stopped.
   * Counts and alert hooks apply only once the unit has committed.
   */
  const processUnit = async (
    records: readonly IngestRecord[],
    start: number,
    budgetMs: number,
  ): Promise<number> => {
    const counts = emptyStats();
    const alerts: Array<[Alert, 'created' | 'merged']> = [];
    // Not durable: a unit is derived from records the ingest log holds durably, and its cursor
    // commits with it, so a unit a power failure takes is processed again from the log.
    const end = await options.store.transaction(async (unit) => {
      const deadline = performance.now() + budgetMs;
      let next = start;
      do {
        const record = records[next];
        if (record === undefined) break;
        await processWithRetries(unit, record, counts, alerts);
        counts.records += 1;
        next += 1;
      } while (next < records.length && performance.now() < deadline);
      const last = records[next - 1];
      if (last !== undefined) await unit.ingestLog.commit({ group, consumer, id: last.id });
      return next;
    }, UNIT_OPTIONS);
    counts.units += 1;
    addStats(stats, counts);
    for (const [alert, result] of alerts) {
      try {
        options.onAlert?.(alert, result);
      } catch (error) {
        options.onError?.(error);
      }
    }
    return end;
  };

  const processBatch = async (): Promise<number> => {
    const records = await options.store.ingestLog.read({ group, consumer, limit: batchSize });
    // A short read means the log is nearly caught up: small units, so a fresh record's alert is
    // listed soon; a full read means a backlog, which gets bigger units.
    const budgetMs = records.length < batchSize ? unitBudgetMs : backlogUnitBudgetMs;
    let done = 0;
    while (done < records.length) {
      done = await processUnit(records, done, budgetMs);
      // Let the event loop reach its I/O phase: sockets are read, appends commit, PUBACKs go out,
      // and API requests run between units instead of after the whole read.
      await yieldToEventLoop();
    }
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

/** Every counter of {@link AnalyticsRunnerStats} at zero: a fresh runner, or one not started yet. */
export function emptyStats(): AnalyticsRunnerStats {
  return {
    records: 0,
    operations: 0,
    rejectedMessages: 0,
    eventsRecorded: 0,
    alertsCreated: 0,
    alertsMerged: 0,
    recommendationsRaised: 0,
    recommendationsResolved: 0,
    failedRecords: 0,
    units: 0,
  };
}

function addStats(into: AnalyticsRunnerStats, from: Readonly<AnalyticsRunnerStats>): void {
  for (const key of Object.keys(into) as (keyof AnalyticsRunnerStats)[]) into[key] += from[key];
}

/** Resolves in the event loop's check phase, after pending I/O callbacks have run. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
