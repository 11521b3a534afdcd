/**
 * The one small interface every collector implements (STYLE.md: osquery-style specs).
 *
 * A collector is a spec (what it is, where it runs, how urgent its data is, what it reads) plus
 * `collect()`, which returns events *and* errors: partial failure is normal on a device (a file
 * missing, a tool absent, a permission denied) and must never stop the other collectors.
 * Priorities follow reference/azure-security-module.md §1.3 (High / Medium / Low groups).
 */
import type { SecurityEvent, WireFormat } from '@vigil/protocol';
import type { SystemAccess } from './system-access.js';

/** Priority group a collector belongs to; each group has its own interval (reference §1.3). */
export type CollectorPriority = 'High' | 'Medium' | 'Low';

/** Where a collector can run: a Node `process.platform` value, or `any` for platform-neutral ones. */
export type CollectorPlatform = 'linux' | 'darwin' | 'win32' | 'any';

/** The static description of a collector, for configuration, scheduling and documentation. */
export interface CollectorSpec {
  /** Stable identifier used to enable/disable it in configuration (`network-activity`, `heartbeat`…). */
  readonly id: string;
  readonly platforms: readonly CollectorPlatform[];
  /** Default priority group; configuration may move it. */
  readonly priority: CollectorPriority;
  /** One sentence: what it reads from the machine (files, commands), for users and docs. */
  readonly description: string;
}

/** The clock a collector reads; injected so tests control time. */
export interface CollectorClock {
  /** Epoch milliseconds UTC. */
  now(): number;
}

/** Everything a collection run may use; nothing else is reachable from a collector. */
export interface CollectorContext {
  readonly clock: CollectorClock;
  /** Files and commands of the machine (the real one, or fixtures in tests). */
  readonly system: SystemAccess;
  /** Aborted when the per-collector timeout elapses or the agent stops; collectors stop early. */
  readonly signal: AbortSignal;
  /** New event id (a lower-case GUID); injected so tests get stable ids. */
  readonly newId: () => string;
  /** The interval this run belongs to, copied into event headers when known. */
  readonly intervalSeconds?: number;
  /** Wire format the events are headed for; decides nothing in collectors but the header. Default `json-1.0`. */
  readonly format?: WireFormat;
}

/** Why part of a collection failed. Package-internal: these never cross the wire as codes. */
export type CollectorErrorCode =
  /** A file, directory or process that should be there is not. */
  | 'NOT_FOUND'
  /** The agent's user may not read it. */
  | 'PERMISSION_DENIED'
  /** A command the collector needs (`nft`, `iptables-save`, `ss`) is not installed. */
  | 'TOOL_MISSING'
  /** A command ran but exited non-zero. */
  | 'COMMAND_FAILED'
  /** Content was read but could not be understood (the bad line or record is skipped). */
  | 'PARSE_ERROR'
  /** The collection was aborted by its timeout or by shutdown. */
  | 'ABORTED'
  /** Data was skipped to stay within a bound (a log that grew faster than the per-run read cap). */
  | 'DATA_DROPPED'
  /** The collector does not run on this platform. */
  | 'UNSUPPORTED_PLATFORM'
  /** Anything else, normalised from an unexpected throw. */
  | 'INTERNAL';

/** One thing that went wrong during a collection, reported instead of thrown. */
export interface CollectorError {
  readonly collectorId: string;
  readonly code: CollectorErrorCode;
  readonly message: string;
  /** What was being read: a path (`/proc/net/tcp6`) or a command (`nft list ruleset`). */
  readonly source?: string;
}

/** The outcome of one collection: whatever could be collected, and what could not. */
export interface CollectionResult {
  readonly events: readonly SecurityEvent[];
  readonly errors: readonly CollectorError[];
}

/**
 * A collector: a spec plus `collect()`. Implementations may keep state between runs (the process
 * collector diffs snapshots), so one instance belongs to one agent. `collect()` should not throw;
 * {@link safeCollect} normalises it when it does.
 */
export interface Collector extends CollectorSpec {
  collect(context: CollectorContext): Promise<CollectionResult>;
}
