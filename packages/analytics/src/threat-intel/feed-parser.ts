import type { ThreatIntelFeedConfig } from '@vigil/storage';
import { readCsv } from './csv-format.js';
import { FeedCollector } from './feed-collector.js';
import { resolveLimits, type FeedLimits } from './limits.js';
import { readList } from './list-format.js';
import type { FeedParseReport, ParsedFeed } from './parsed-feed.js';

/** Stable codes for a failed feed load (package-internal: they reach the API only as `lastError` text). */
export type FeedErrorCode =
  | 'NO_VALID_ENTRIES'
  | 'TOO_MANY_ENTRIES'
  | 'TOO_LARGE'
  | 'BAD_COLUMN'
  | 'HTTP_STATUS'
  | 'TIMEOUT'
  | 'FETCH_FAILED'
  | 'READ_FAILED'
  | 'BAD_SOURCE'
  | 'INTERNAL';

/** Why a feed did not load. */
export interface FeedError {
  readonly code: FeedErrorCode;
  readonly message: string;
}

/** The parts of a feed definition parsing needs (a stored {@link ThreatIntelFeedConfig} fits). */
export type FeedParseOptions = Pick<ThreatIntelFeedConfig, 'name' | 'format' | 'internal'>;

/** A parse's outcome: the feed, or why it is unusable together with what was seen. */
export type FeedParseOutcome =
  | { readonly ok: true; readonly feed: ParsedFeed }
  | { readonly ok: false; readonly error: FeedError; readonly report: FeedParseReport };

/**
 * Parses a feed body. Invalid lines are reported (line number and reason) and skipped; the parse fails
 * only when every non-comment line is invalid, when the feed holds more than `maxEntries` entries or
 * more than `maxFeedBytes` characters, or when a CSV column name is not in the header. An empty feed
 * (only comments) parses to zero entries.
 */
export function parseFeed(
  text: string,
  options: FeedParseOptions,
  limits: Partial<FeedLimits> = {},
): FeedParseOutcome {
  const bounds = resolveLimits(limits);
  const collector = new FeedCollector(options.name, options.internal, bounds);
  const fail = (code: FeedErrorCode, message: string): FeedParseOutcome => ({
    ok: false,
    error: { code, message },
    report: collector.finish().report,
  });
  if (text.length > bounds.maxFeedBytes) {
    return fail('TOO_LARGE', `feed ${options.name} is larger than ${bounds.maxFeedBytes} bytes`);
  }
  // A UTF-8 byte order mark would otherwise spoil the first entry or CSV header name.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (options.format.type === 'list') {
    readList(text, collector, bounds.maxLineLength);
  } else {
    const problem = readCsv(text, options.format.column, collector, bounds.maxLineLength);
    if (problem !== undefined) return fail('BAD_COLUMN', problem);
  }
  if (collector.stopped === 'TOO_MANY_ENTRIES') {
    return fail('TOO_MANY_ENTRIES', `feed ${options.name} has more than ${bounds.maxEntries} entries`);
  }
  if (!collector.anyValid && collector.invalidLines > 0) {
    return fail('NO_VALID_ENTRIES', `no line of feed ${options.name} holds a valid entry`);
  }
  return { ok: true, feed: collector.finish() };
}
