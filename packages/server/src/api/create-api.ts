import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import type { Store } from '@vigil/storage';
import type { TokenStore } from '../auth/tokens.js';
import { registerAlertRoutes } from './alert-routes.js';
import { findDashboardDirectory, registerDashboardFiles } from './dashboard-files.js';
import { installAuth } from './auth.js';
import { installErrorHandler } from './errors.js';
import { registerPostureRoutes } from './posture-routes.js';
import { fastifyLoggerOptions, installRequestLog, type LoggingOptions } from '../logging/index.js';
import { registerMetricsRoute, type MetricsRouteOptions } from '../metrics/index.js';
import { installOpenApi, type OpenApiInfo, type RouteDoc } from '../openapi/index.js';
import { registerSecurityGroupRoutes } from './security-group-routes.js';
import { registerFeedRoutes, type FeedService } from '../threat-intel/index.js';
import { registerTokenRoutes } from './token-routes.js';

/** Largest request body the API accepts (twins and rule sets are far smaller). */
export const MAX_API_BODY_BYTES = 256 * 1024;

/** What the HTTP API is built from. */
export interface ApiOptions {
  readonly store: Store;
  readonly tokens: TokenStore;
  /** Adds more routes (the hub's service API, the dashboard's files) behind the same auth and errors. */
  readonly extend?: (app: FastifyInstance) => void | Promise<void>;
  readonly now?: () => number;
  /** Fastify's logger setting (false in tests); `logging` wins when given. */
  readonly logger?: boolean | object;
  /** Structured JSON logs with credentials redacted (see `fastifyLoggerOptions`). */
  readonly logging?: LoggingOptions;
  /** Serves Prometheus metrics at `/metrics` (token required unless `public`). */
  readonly metrics?: MetricsRouteOptions;
  /** The OpenAPI document's `info` and descriptions of routes that carry no `schema` of their own. */
  readonly openapi?: { readonly info?: OpenApiInfo; readonly catalogue?: Readonly<Record<string, RouteDoc>> };
  /** Observes every route as it is registered (route inventories, tests). */
  readonly onRoute?: (route: RouteOptions) => void;
  /** Threat-intelligence feed management (`/api/threat-intel/feeds`); absent, those routes are not mounted. */
  readonly threatIntel?: FeedService;
  /** The built dashboard to serve; found next to `@vigil/dashboard` unless given (`null`: none). */
  readonly dashboardDirectory?: string | null;
}

/** Builds the HTTP API (not listening yet: call `listen`, or `inject` in tests). */
export async function createApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logging === undefined ? (options.logger ?? false) : fastifyLoggerOptions(options.logging),
    bodyLimit: MAX_API_BODY_BYTES,
    // With structured logging, requests are logged once, on completion, at a level by outcome.
    ...(options.logging === undefined
      ? {}
      : { logController: new LogController({ disableRequestLogging: true }) }),
  });
  if (options.logging !== undefined) installRequestLog(app);
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute);
  installOpenApi(app, options.openapi);
  installErrorHandler(app);
  installAuth(app, options.tokens);
  // Use times are written in the background; closing waits for them so no write outlives the API.
  app.addHook('onClose', () => options.tokens.flush());
  registerAlertRoutes(app, options.store);
  registerPostureRoutes(app, options.store, options.now);
  if (options.metrics !== undefined) registerMetricsRoute(app, options.metrics);
  registerSecurityGroupRoutes(app, options.store);
  if (options.threatIntel !== undefined) registerFeedRoutes(app, options.threatIntel);
  registerTokenRoutes(app, options.tokens);
  await options.extend?.(app);
  registerDashboardFiles(
    app,
    options.dashboardDirectory === null
      ? undefined
      : (options.dashboardDirectory ?? findDashboardDirectory()),
  );
  await app.ready();
  return app;
}
