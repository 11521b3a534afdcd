import { formatDuration } from '@vigil/protocol';
import type { FeedLoader, FeedLoadReport, SetAsideReason } from '@vigil/analytics';
import type { Millis, Store, ThreatIntelFeed, ThreatIntelFeedConfig } from '@vigil/storage';
import { ApiError } from '../api/errors.js';

/** A feed's load status, as the API and dashboard show it. */
export interface FeedStatusView {
  /** `pending` until the first load, then the outcome of the latest one. */
  readonly state: 'pending' | 'loaded' | 'failed';
  /** When the latest load finished (ISO-8601), or null. */
  readonly lastLoadAt: string | null;
  /** Entries the matcher uses now (from the latest good load; still served after a failed reload). */
  readonly entries: number | null;
  /** Entries of that load set aside as private, bogon or too-broad ranges, in total and by reason. */
  readonly setAside: number | null;
  readonly setAsideByReason: Readonly<Partial<Record<SetAsideReason, number>>>;
  /** Invalid lines of the latest parse, and the first few with line numbers. */
  readonly invalidLines: number | null;
  readonly invalidExamples: readonly { readonly line: number; readonly reason: string }[];
  /** Why the latest load failed (`HTTP_STATUS: GET … answered 404`), or null. */
  readonly lastError: string | null;
  /** After a failed load: whether matching still uses an earlier good load of this feed. */
  readonly keptLastGood: boolean;
}

/** A feed as the API answers it. */
export interface FeedView {
  readonly name: string;
  readonly source: ThreatIntelFeedConfig['source'];
  readonly format: 'plain' | 'csv';
  readonly column: string | number | null;
  readonly refreshInterval: string;
  readonly refreshIntervalMs: number;
  readonly internal: boolean;
  /** `config`: declared in the server's configuration file, changed there only. */
  readonly origin: 'api' | 'config';
  readonly etag: string;
  readonly updatedAt: string;
  readonly status: FeedStatusView;
}

/** Who changed a feed, for the operations log. */
export interface FeedCaller {
  readonly sourceAddress: string | null;
}

/** Feed management on top of the store (definitions, last load) and the running loader (the matcher). */
export interface FeedService {
  list(): Promise<FeedView[]>;
  get(name: string): Promise<FeedView>;
  /** Adds a feed and loads it before answering; `CONFLICT` when the name is taken or {@link MAX_FEEDS} exist. */
  add(feed: ThreatIntelFeedConfig, caller: FeedCaller): Promise<FeedView>;
  /** Replaces a feed's definition and reloads it; `NOT_FOUND`, `PRECONDITION_FAILED`, `CONFLICT` (config feed). */
  update(feed: ThreatIntelFeedConfig, caller: FeedCaller, ifMatch?: string): Promise<FeedView>;
  remove(name: string, caller: FeedCaller, ifMatch?: string): Promise<void>;
  /** Loads a feed now (an unchanged body is not re-parsed) and answers with its new status. */
  reload(name: string, caller: FeedCaller): Promise<FeedView>;
}

/** What {@link createFeedService} works on. */
export interface FeedServiceOptions {
  readonly store: Store;
  readonly loader: FeedLoader;
  /** Names of the feeds declared in the server configuration: read-only through the API. */
  readonly configured?: ReadonlySet<string>;
  readonly now?: () => Millis;
}

/** Most feeds the API keeps (each is held in memory and reloaded on its own schedule). */
export const MAX_FEEDS = 100;

/** The operation name feed changes are recorded under in the operations log. */
export const FEED_OPERATION = 'threatIntelFeedChanged';

function statusOf(feed: ThreatIntelFeed, loader: FeedLoader): FeedStatusView {
  const last: FeedLoadReport | undefined = loader.status().find((entry) => entry.feed === feed.name)?.last;
  // What the matcher holds for this feed right now (a failed reload leaves the previous entries).
  const serving = loader.index.feeds.find((parsed) => parsed.name === feed.name)?.report;
  if (last === undefined) {
    // Not loaded by this process yet: the store remembers the previous process's last load.
    return {
      state: feed.lastLoadedAt === null ? 'pending' : feed.lastError === null ? 'loaded' : 'failed',
      lastLoadAt: feed.lastLoadedAt === null ? null : new Date(feed.lastLoadedAt).toISOString(),
      entries: feed.lastEntryCount,
      setAside: feed.lastSetAside,
      setAsideByReason: {},
      invalidLines: null,
      invalidExamples: [],
      lastError: feed.lastError,
      keptLastGood: false,
    };
  }
  const parse = last.ok ? last.parse : serving;
  return {
    state: last.ok ? 'loaded' : 'failed',
    lastLoadAt: new Date(last.at).toISOString(),
    entries: serving?.entries ?? (last.ok ? (last.parse?.entries ?? 0) : null),
    setAside: parse?.setAside ?? null,
    setAsideByReason: parse?.setAsideByReason ?? {},
    invalidLines: last.parse?.invalid ?? null,
    invalidExamples: (last.parse?.errors ?? []).slice(0, 5),
    lastError: last.ok ? null : `${last.error?.code ?? 'FAILED'}: ${last.error?.message ?? ''}`,
    keptLastGood: last.keptLastGood,
  };
}

/**
 * Creates the feed service. Every change is written to the store first, then handed to the loader as
 * the whole new feed list (`FeedLoader.configure`), so the running matcher follows without a restart;
 * changes are serialized so store and matcher never disagree about which feeds exist.
 */
export function createFeedService(options: FeedServiceOptions): FeedService {
  const { store, loader } = options;
  const now = options.now ?? Date.now;
  const configured = options.configured ?? new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const view = (feed: ThreatIntelFeed): FeedView => ({
    name: feed.name,
    source: feed.source,
    format: feed.format.type === 'list' ? 'plain' : 'csv',
    column: feed.format.type === 'csv' ? feed.format.column : null,
    refreshInterval: formatDuration(feed.refreshIntervalMs),
    refreshIntervalMs: feed.refreshIntervalMs,
    internal: feed.internal,
    origin: configured.has(feed.name) ? 'config' : 'api',
    etag: feed.etag,
    updatedAt: new Date(feed.updatedAt).toISOString(),
    status: statusOf(feed, loader),
  });
  const find = async (name: string): Promise<ThreatIntelFeed> => {
    const feed = await store.threatIntelFeeds.get(name);
    if (feed === undefined) throw new ApiError('NOT_FOUND', `no threat-intel feed ${name}`);
    return feed;
  };
  const writable = (name: string): void => {
    if (configured.has(name))
      throw new ApiError(
        'CONFLICT',
        `feed ${name} is declared in the server configuration file: change it there and restart`,
      );
  };
  const record = async (
    caller: FeedCaller,
    feed: string,
    action: 'added' | 'updated' | 'removed' | 'reloaded',
    report?: FeedLoadReport,
  ): Promise<void> => {
    await store.operations.record([
      {
        at: now(),
        operation: FEED_OPERATION,
        outcome: report === undefined || report.ok ? 'success' : 'failure',
        sourceAddress: caller.sourceAddress,
        reason: report?.error?.code ?? null,
        details: {
          feed,
          action,
          ...(report === undefined ? {} : { entries: report.parse?.entries ?? null }),
        },
      },
    ]);
  };
  // The loader takes the whole list, in the store's order (by name: ties between feeds go to the first).
  const apply = async (): Promise<FeedLoadReport[]> => loader.configure(await store.threatIntelFeeds.list());

  return {
    list: async () => (await store.threatIntelFeeds.list()).map(view),
    get: async (name) => view(await find(name)),
    add: (feed, caller) =>
      serialized(async () => {
        if ((await store.threatIntelFeeds.get(feed.name)) !== undefined)
          throw new ApiError('CONFLICT', `a threat-intel feed named ${feed.name} exists`);
        if ((await store.threatIntelFeeds.list()).length >= MAX_FEEDS)
          throw new ApiError(
            'CONFLICT',
            `there are already ${MAX_FEEDS} feeds, the most Vigil keeps: remove one first`,
          );
        await store.threatIntelFeeds.put(feed, { now: now() });
        const reports = await apply();
        await record(
          caller,
          feed.name,
          'added',
          reports.find((report) => report.feed === feed.name),
        );
        // The load's record is written by the loader's listener; read it back with the live status.
        return view(await find(feed.name));
      }),
    update: (feed, caller, ifMatch) =>
      serialized(async () => {
        writable(feed.name);
        await find(feed.name);
        await store.threatIntelFeeds.put(feed, { now: now(), ...(ifMatch === undefined ? {} : { ifMatch }) });
        const reports = await apply();
        await record(
          caller,
          feed.name,
          'updated',
          reports.find((report) => report.feed === feed.name),
        );
        return view(await find(feed.name));
      }),
    remove: (name, caller, ifMatch) =>
      serialized(async () => {
        writable(name);
        const feed = await find(name);
        if (ifMatch !== undefined && ifMatch !== feed.etag)
          throw new ApiError('PRECONDITION_FAILED', `feed ${name} changed since etag ${ifMatch}`);
        await store.threatIntelFeeds.delete(name);
        await apply();
        await record(caller, name, 'removed');
      }),
    reload: (name, caller) =>
      serialized(async () => {
        await find(name);
        // A feed written to the store behind the API's back joins the loader first.
        if (!loader.status().some((entry) => entry.feed === name)) await apply();
        const [report] = await loader.load(name);
        await record(caller, name, 'reloaded', report);
        return view(await find(name));
      }),
  };
}
