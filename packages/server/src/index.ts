/**
 * @vigil/server: hub, security center, API and dashboard in one process.
 */
export { createApi, MAX_API_BODY_BYTES, type ApiOptions } from './api/create-api.js';
export {
  ApiError,
  validationFailed,
  installErrorHandler,
  type ApiErrorCode,
  type Violation,
} from './api/errors.js';
export { findDashboardDirectory } from './api/dashboard-files.js';
export { TokenStore, TOKENS_FILE, type Role, type TokenRecord } from './auth/tokens.js';
export { startServer, DEFAULT_API_PORT, type ServerOptions, type RunningServer } from './run/start-server.js';
export {
  resolveServerSettings,
  ServerConfigError,
  DEFAULT_SERVER_SETTINGS,
  SERVER_ENVIRONMENT,
  type ServerSettings,
} from './run/server-config.js';
export {
  analyticsServerOptions,
  ANALYTICS_ENVIRONMENT,
  DEFAULT_ANALYTICS_SETTINGS,
  type AnalyticsSettings,
} from './run/analytics-settings.js';
export {
  installOpenApi,
  buildOpenApiDocument,
  OPENAPI_PATH,
  CORE_ROUTE_DOCS,
  HUB_ROUTE_DOCS,
  checkOpenApiDocument,
  type OpenApiDocument,
  type OpenApiInfo,
  type RouteDoc,
  type JsonSchema,
} from './openapi/index.js';
export {
  createServerMetrics,
  formatExposition,
  registerMetricsRoute,
  countConnectedIdentities,
  EXPOSITION_CONTENT_TYPE,
  type MetricFamily,
  type MetricsSources,
  type MetricsRouteOptions,
} from './metrics/index.js';
export {
  fastifyLoggerOptions,
  logLevelFromEnvironment,
  redactUrl,
  LOG_LEVELS,
  type LoggingOptions,
  type LogLevel,
} from './logging/index.js';
export {
  createFeedService,
  FEED_OPERATION,
  FEEDS_PATH,
  readFeedInput,
  readThreatIntelSettings,
  registerFeedRoutes,
  type FeedInput,
  type FeedService,
  type FeedStatusView,
  type FeedView,
  type FeedViolationCode,
  type ThreatIntelSettings,
} from './threat-intel/index.js';
