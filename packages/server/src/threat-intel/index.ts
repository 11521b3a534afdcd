/**
 * Threat-intelligence feed management: the API's feed routes, the feed service that keeps the store
 * and the running matcher in step, and the `threatIntel` section of the server configuration.
 */
export {
  DEFAULT_REFRESH,
  FEED_NAME,
  MAX_REFRESH_MS,
  MIN_REFRESH_MS,
  readFeedInput,
  type FeedInput,
  type FeedViolationCode,
} from './feed-input.js';
export {
  createFeedService,
  FEED_OPERATION,
  MAX_FEEDS,
  type FeedCaller,
  type FeedService,
  type FeedServiceOptions,
  type FeedStatusView,
  type FeedView,
} from './feed-service.js';
export { FEEDS_PATH, registerFeedRoutes } from './feed-routes.js';
export { MAX_CONFIGURED_FEEDS, readThreatIntelSettings, type ThreatIntelSettings } from './feed-settings.js';
