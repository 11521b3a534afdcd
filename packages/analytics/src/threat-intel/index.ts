/**
 * Threat intelligence: feeds of suspicious IPv4/IPv6 addresses and prefixes (plain lists and CSV),
 * parsed with bounds, private and bogon ranges set aside unless a feed is internal, and matched by a
 * prefix table that answers in well under a microsecond without allocating.
 */
export {
  parseFeed,
  type FeedError,
  type FeedErrorCode,
  type FeedParseOptions,
  type FeedParseOutcome,
} from './feed-parser.js';
export { DEFAULT_FEED_LIMITS, resolveLimits, type FeedLimits } from './limits.js';
export {
  entryLine,
  entryText,
  type FeedLineError,
  type FeedParseReport,
  type ParsedFeed,
} from './parsed-feed.js';
export {
  RESERVED_V4,
  RESERVED_V6,
  SET_ASIDE_REASONS,
  type ReservedRange,
  type SetAsideReason,
} from './reserved.js';
export { ThreatIntelIndex, type ThreatIntelIndexStats, type ThreatIntelMatch } from './threat-intel-index.js';
export { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './address.js';
export {
  createFeedLoader,
  toLoadRecord,
  type FeedLoader,
  type FeedLoaderClock,
  type FeedLoaderOptions,
  type FeedLoaderTimers,
  type FeedLoadReport,
} from './feed-loader.js';
