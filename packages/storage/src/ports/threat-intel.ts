import type { IfMatch, Millis } from './common.js';

/** Where a feed comes from and how to read it. The entries themselves live in memory, not here. */
export interface ThreatIntelFeedConfig {
  readonly name: string;
  readonly source: { readonly type: 'file' | 'url'; readonly location: string };
  readonly format: { readonly type: 'list' } | { readonly type: 'csv'; readonly column: number | string };
  /** A feed of internal ranges: private, loopback and documentation addresses match only here. */
  readonly internal: boolean;
  readonly refreshIntervalMs: number;
}

/** A feed with the outcome of its last load. */
export interface ThreatIntelFeed extends ThreatIntelFeedConfig {
  readonly etag: string;
  readonly lastLoadedAt: Millis | null;
  readonly lastEntryCount: number | null;
  /** Entries set aside as private/bogon ranges at the last load. */
  readonly lastSetAside: number | null;
  readonly lastError: string | null;
  readonly updatedAt: Millis;
}

/** Threat-intelligence feed definitions and load status. */
export interface ThreatIntelFeedRepository {
  get(name: string): Promise<ThreatIntelFeed | undefined>;
  list(): Promise<ThreatIntelFeed[]>;
  /** Creates or replaces a feed's configuration; `PRECONDITION_FAILED` on an etag mismatch. */
  put(feed: ThreatIntelFeedConfig, options?: IfMatch & { readonly now?: Millis }): Promise<ThreatIntelFeed>;
  /** Records a load's outcome (does not change the etag); `NOT_FOUND` when absent. */
  recordLoad(
    name: string,
    load: {
      readonly at: Millis;
      readonly entryCount?: number;
      readonly setAside?: number;
      readonly error?: string;
    },
  ): Promise<void>;
  delete(name: string): Promise<boolean>;
}
