/**
 * Bounds on one feed ("Bounded everything", DESIGN.md). A public list is input from a third party:
 * a feed that grows tenfold overnight or a URL that serves a video must fail its load (keeping the
 * last good copy) rather than exhaust the process.
 */
export interface FeedLimits {
  /** Largest feed body, in bytes; a larger file or response fails the load with `TOO_LARGE`. */
  readonly maxFeedBytes: number;
  /** Longest line (list) or record (CSV), in characters; a longer one is reported invalid and skipped. */
  readonly maxLineLength: number;
  /** Most matchable entries in one feed; more fail the load with `TOO_MANY_ENTRIES` (no silent truncation). */
  readonly maxEntries: number;
  /** Invalid lines reported in detail per load (all are counted). */
  readonly maxReportedErrors: number;
  /**
   * Shortest prefix accepted, per family: broader entries (`0.0.0.0/0`, `0.0.0.0/1`, `2000::/3`) are
   * set aside as `too-broad` in every feed, internal or not — no threat feed means "the internet".
   */
  readonly minPrefixLength: { readonly v4: number; readonly v6: number };
  /** Longest a fetch or file read may take before the load fails with `TIMEOUT`. */
  readonly timeoutMs: number;
  /** Shortest reload interval honoured: a feed configured with 0 must not hammer its publisher. */
  readonly minRefreshIntervalMs: number;
}

/** The defaults: generous for real lists (FireHOL level1 is ~5k lines, the largest common lists ~1M). */
export const DEFAULT_FEED_LIMITS: FeedLimits = Object.freeze({
  maxFeedBytes: 64 * 1024 * 1024,
  maxLineLength: 1024,
  maxEntries: 2_000_000,
  maxReportedErrors: 100,
  minPrefixLength: Object.freeze({ v4: 8, v6: 16 }),
  timeoutMs: 30_000,
  minRefreshIntervalMs: 60_000,
});

/** {@link DEFAULT_FEED_LIMITS} with the given overrides. */
export function resolveLimits(overrides: Partial<FeedLimits> = {}): FeedLimits {
  return Object.freeze({ ...DEFAULT_FEED_LIMITS, ...overrides });
}
