import { createHash } from 'node:crypto';
import type { ThreatIntelFeedConfig } from '@vigil/storage';
import { parseFeed, type FeedError } from './feed-parser.js';
import { readSource } from './feed-source.js';
import { resolveLimits, type FeedLimits } from './limits.js';
import type { FeedParseReport, ParsedFeed } from './parsed-feed.js';
import { ThreatIntelIndex, type ThreatIntelMatch } from './threat-intel-index.js';

/** The outcome of one load of one feed. */
export interface FeedLoadReport {
  readonly feed: string;
  /** When the load finished (the loader's clock, epoch ms). */
  readonly at: number;
  readonly durationMs: number;
  readonly ok: boolean;
  /** Bytes read from the source (0 when reading failed). */
  readonly bytes: number;
  /** What the parse kept, set aside and rejected; absent when the source could not be read. */
  readonly parse?: FeedParseReport;
  readonly error?: FeedError;
  /** On failure: whether matching still uses an earlier good load of this feed. */
  readonly keptLastGood: boolean;
  /** On success: the body was identical to the last good one, so nothing was re-parsed or rebuilt. */
  readonly unchanged: boolean;
}

/** Time source for reports and durations (injected in tests). */
export interface FeedLoaderClock {
  now(): number;
}

/** Timer functions for schedules and timeouts (injected in tests). */
export interface FeedLoaderTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options for {@link createFeedLoader}. */
export interface FeedLoaderOptions {
  /** The feeds, in priority order: when two list equally specific entries, the earlier feed is reported. */
  readonly feeds: readonly ThreatIntelFeedConfig[];
  readonly limits?: Partial<FeedLimits>;
  readonly clock?: FeedLoaderClock;
  readonly timers?: FeedLoaderTimers;
  readonly fetch?: typeof globalThis.fetch;
  /** Called after every load, for logs and `ThreatIntelFeedRepository.recordLoad` (see {@link toLoadRecord}). */
  readonly onLoad?: (report: FeedLoadReport) => void;
}

/** Loads feeds on their schedules and serves lookups from the newest good index. */
export interface FeedLoader {
  /** The current index; replaced as a whole after each successful load (readers never see a partial one). */
  readonly index: ThreatIntelIndex;
  /** The match for an address, from the current index (fits the detectors' `ThreatIntelLookup`). */
  lookup(address: string): ThreatIntelMatch | undefined;
  /** Loads every feed (or the named one) now and rebuilds the index once; resolves with the reports. */
  load(name?: string): Promise<FeedLoadReport[]>;
  /** Loads every feed, then reloads each `refreshIntervalMs` (at least `minRefreshIntervalMs`) after its last load, until {@link stop}. */
  start(): Promise<FeedLoadReport[]>;
  /**
   * Replaces the feed list without a restart: removed feeds leave the index, new and changed ones
   * (any field differs) load now, unchanged ones keep their entries and schedules. Resolves, once the
   * index has been rebuilt, with the reports of the feeds that loaded. A changed feed whose load
   * fails keeps its last good entries, like any failed reload.
   */
  configure(feeds: readonly ThreatIntelFeedConfig[]): Promise<FeedLoadReport[]>;
  /** Cancels the schedules (a load in flight completes, but schedules nothing). */
  stop(): void;
  /** The last report of each feed, in feed order (undefined before its first load). */
  status(): readonly { readonly feed: string; readonly last: FeedLoadReport | undefined }[];
}

/** A load report in the shape `ThreatIntelFeedRepository.recordLoad` takes. */
export function toLoadRecord(report: FeedLoadReport): {
  at: number;
  entryCount?: number;
  setAside?: number;
  error?: string;
} {
  if (report.ok)
    return { at: report.at, entryCount: report.parse?.entries ?? 0, setAside: report.parse?.setAside ?? 0 };
  return { at: report.at, error: `${report.error?.code ?? 'FAILED'}: ${report.error?.message ?? ''}` };
}

function checkUnique(feeds: readonly ThreatIntelFeedConfig[]): void {
  const names = feeds.map((feed) => feed.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length > 0)
    throw new RangeError(`feed names must be unique: ${[...new Set(duplicates)].join(', ')}`);
}

/** Whether two definitions would load the same entries on the same schedule. */
function sameDefinition(a: ThreatIntelFeedConfig, b: ThreatIntelFeedConfig): boolean {
  const column = (feed: ThreatIntelFeedConfig) => (feed.format.type === 'csv' ? feed.format.column : null);
  return (
    a.source.type === b.source.type &&
    a.source.location === b.source.location &&
    a.format.type === b.format.type &&
    column(a) === column(b) &&
    a.internal === b.internal &&
    a.refreshIntervalMs === b.refreshIntervalMs
  );
}

const realTimers: FeedLoaderTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Creates a loader for `feeds` (names must be unique: `RangeError` otherwise). A failed load (unreachable URL, HTTP error, oversized or unparseable
 * body, timeout) keeps the feed's last good entries in the index and is reported; a successful one
 * rebuilds the index from every feed's newest good entries and swaps it in.
 */
export function createFeedLoader(options: FeedLoaderOptions): FeedLoader {
  const limits = resolveLimits(options.limits);
  const clock = options.clock ?? Date;
  const timers = options.timers ?? realTimers;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  checkUnique(options.feeds);
  let feeds = options.feeds;
  const good = new Map<string, ParsedFeed>();
  const digests = new Map<string, string>();
  const last = new Map<string, FeedLoadReport>();
  // Keyed by the definition, not the name: a load started for a feed's old definition is not
  // shared with a load of its new one.
  const inFlight = new Map<ThreatIntelFeedConfig, Promise<FeedLoadReport>>();
  const schedules = new Map<string, unknown>();
  let index = ThreatIntelIndex.EMPTY;
  let running = false;

  const current = (feed: ThreatIntelFeedConfig): boolean => feeds.includes(feed);

  const rebuild = (): void => {
    const parsed = feeds.map((feed) => good.get(feed.name)).filter((feed) => feed !== undefined);
    index = ThreatIntelIndex.build(parsed);
  };

  const loadOne = async (feed: ThreatIntelFeedConfig): Promise<FeedLoadReport> => {
    const started = clock.now();
    const controller = new AbortController();
    const timeout = timers.setTimeout(() => controller.abort(), limits.timeoutMs);
    let report: Omit<FeedLoadReport, 'at' | 'durationMs' | 'keptLastGood' | 'unchanged'>;
    let unchanged = false;
    try {
      const source = await readSource(feed.source, {
        maxBytes: limits.maxFeedBytes,
        signal: controller.signal,
        fetch: fetchImpl,
      });
      if (!source.ok) {
        report = { feed: feed.name, ok: false, bytes: 0, error: source.error };
      } else {
        // Most reloads fetch the same list again: skip re-parsing (seconds for a million entries).
        const digest = createHash('sha256').update(source.text).digest('hex');
        const previous = current(feed) ? good.get(feed.name) : undefined;
        const parsed =
          previous && digests.get(feed.name) === digest ? undefined : parseFeed(source.text, feed, limits);
        if (parsed === undefined) {
          unchanged = true;
          report = { feed: feed.name, ok: true, bytes: source.bytes, parse: previous!.report };
        } else if (parsed.ok) {
          // A feed removed or redefined while it loaded: its result must not enter the index.
          if (current(feed)) {
            good.set(feed.name, parsed.feed);
            digests.set(feed.name, digest);
          }
          report = { feed: feed.name, ok: true, bytes: source.bytes, parse: parsed.feed.report };
        } else {
          report = {
            feed: feed.name,
            ok: false,
            bytes: source.bytes,
            parse: parsed.report,
            error: parsed.error,
          };
        }
      }
    } catch (error) {
      // Not expected (sources and parsing return outcomes), but a schedule must survive anything.
      report = { feed: feed.name, ok: false, bytes: 0, error: { code: 'INTERNAL', message: String(error) } };
    } finally {
      timers.clearTimeout(timeout);
    }
    const at = clock.now();
    const full: FeedLoadReport = {
      ...report,
      at,
      durationMs: at - started,
      keptLastGood: !report.ok && good.has(feed.name),
      unchanged,
    };
    if (!current(feed)) return full;
    last.set(feed.name, full);
    try {
      options.onLoad?.(full);
    } catch {
      // A failing listener (a storage write, say) must not stop the feed's schedule.
    }
    return full;
  };

  // One load per feed at a time: a manual load during a scheduled one shares it.
  const loadShared = (feed: ThreatIntelFeedConfig): Promise<FeedLoadReport> => {
    const pending = inFlight.get(feed);
    if (pending) return pending;
    const promise = loadOne(feed).finally(() => inFlight.delete(feed));
    inFlight.set(feed, promise);
    return promise;
  };

  const schedule = (feed: ThreatIntelFeedConfig): void => {
    // Also covers stop() then start() while a scheduled load was in flight: one timer per feed.
    if (!running || schedules.has(feed.name)) return;
    const handle = timers.setTimeout(
      () => {
        schedules.delete(feed.name);
        void loadShared(feed).then((report) => {
          if (!current(feed)) return; // removed or redefined meanwhile: configure() took over
          if (report.ok && !report.unchanged) rebuild();
          schedule(feed);
        });
      },
      Math.max(feed.refreshIntervalMs, limits.minRefreshIntervalMs),
    );
    schedules.set(feed.name, handle);
  };

  const load = async (name?: string): Promise<FeedLoadReport[]> => {
    const chosen = name === undefined ? feeds : feeds.filter((feed) => feed.name === name);
    const reports = await Promise.all(chosen.map(loadShared));
    if (reports.some((report) => report.ok && !report.unchanged)) rebuild();
    return reports;
  };

  return {
    get index() {
      return index;
    },
    lookup: (address) => index.lookup(address),
    load,
    async start() {
      if (running) return feeds.flatMap((feed) => last.get(feed.name) ?? []);
      running = true;
      const reports = await load();
      for (const feed of feeds) if (!schedules.has(feed.name)) schedule(feed);
      return reports;
    },
    async configure(next) {
      checkUnique(next);
      const before = new Map(feeds.map((feed) => [feed.name, feed]));
      const kept = new Map<string, ThreatIntelFeedConfig>();
      for (const feed of next) {
        const old = before.get(feed.name);
        if (old !== undefined && sameDefinition(old, feed)) kept.set(feed.name, old);
      }
      // Unchanged feeds keep their definition object, so their schedules and in-flight loads stay current.
      const nextFeeds = next.map((feed) => kept.get(feed.name) ?? feed);
      const fresh = nextFeeds.filter((feed) => !kept.has(feed.name));
      for (const name of before.keys()) {
        if (kept.has(name)) continue;
        const handle = schedules.get(name);
        if (handle !== undefined) timers.clearTimeout(handle);
        schedules.delete(name);
        // A redefined feed re-parses its body (the internal flag or CSV column may differ) but keeps
        // its last good entries until the new definition loads; a removed one leaves everything.
        digests.delete(name);
        if (!next.some((feed) => feed.name === name)) {
          good.delete(name);
          last.delete(name);
        }
      }
      feeds = nextFeeds;
      const reports = await Promise.all(fresh.map(loadShared));
      rebuild();
      if (running) for (const feed of fresh) if (current(feed)) schedule(feed);
      return reports;
    },
    stop() {
      running = false;
      for (const handle of schedules.values()) timers.clearTimeout(handle);
      schedules.clear();
    },
    status: () => feeds.map((feed) => ({ feed: feed.name, last: last.get(feed.name) })),
  };
}
