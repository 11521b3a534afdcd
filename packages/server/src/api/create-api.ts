import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '@vigil/storage';
import type { TokenStore } from '../auth/tokens.js';
import { registerAlertRoutes } from './alert-routes.js';
import { findDashboardDirectory, registerDashboardFiles } from './dashboard-files.js';
import { installAuth } from './auth.js';
import { installErrorHandler } from './errors.js';
import { registerPostureRoutes } from './posture-routes.js';
import { registerSecurityGroupRoutes } from './security-group-routes.js';

/** Largest request body the API accepts (twins and rule sets are far smaller). */
export const MAX_API_BODY_BYTES = 256 * 1024;

/** What the HTTP API is built from. */
export interface ApiOptions {
  readonly store: Store;
  readonly tokens: TokenStore;
  /** Adds more routes (the hub's service API, the dashboard's files) behind the same auth and errors. */
  readonly extend?: (app: FastifyInstance) => void | Promise<void>;
  readonly now?: () => number;
  /** Fastify's logger setting (false in tests). */
  readonly logger?: boolean | object;
  /** The built dashboard to serve; found next to `@vigil/dashboard` unless given (`null`: none). */
  readonly dashboardDirectory?: string | null;
}

/** Builds the HTTP API (not listening yet: call `listen`, or `inject` in tests). */
export async function createApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_API_BODY_BYTES });
  installErrorHandler(app);
  installAuth(app, options.tokens);
  registerAlertRoutes(app, options.store);
  registerPostureRoutes(app, options.store, options.now);
  registerSecurityGroupRoutes(app, options.store);
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
