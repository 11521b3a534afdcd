import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { OperationsRepository } from '@vigil/storage';
import { runAsCaller, ServiceError } from '../registry/index.js';
import { registerAccessPolicyRoutes } from './access-policy-routes.js';
import { installServiceAuth, MIN_TOKEN_LENGTH, type ServiceApiRole } from './auth.js';
import { registerC2dRoutes } from './c2d-routes.js';
import type { DeviceServices } from './device-services.js';
import { installServiceErrors } from './errors.js';
import { registerOperationsRoutes } from './operations-routes.js';
import { registerRegistryRoutes } from './registry-routes.js';
import { registerSettingsRoutes } from './settings-routes.js';
import { registerTwinRoutes } from './twin-routes.js';

/** Where the service API's routes live. */
export const SERVICE_API_PREFIX = '/api/hub';

/** The largest request body any route accepts (each route sets its own, smaller, limit). */
export const MAX_SERVICE_API_BODY_BYTES = 256 * 1024;

/** What the service API serves. */
export interface ServiceApiOptions {
  /** The device services (`createDeviceServices`). */
  readonly services: Pick<DeviceServices, 'registry' | 'twins' | 'methods' | 'c2d' | 'settings'>;
  /** The queryable operations log (`store.operations`). */
  readonly operations: OperationsRepository;
  /** Bearer token for everything (at least 16 characters). */
  readonly adminToken?: string;
  /** Bearer token that may only read (keys and connection strings hidden). */
  readonly viewerToken?: string;
  /**
   * Set when the host application authenticates requests itself (the server's API tokens); then no
   * token is checked here. Without it, `adminToken` is required: the API is never open by accident.
   */
  readonly externalAuth?: boolean;
  /**
   * With `externalAuth`: the role the host granted a request (e.g. from the server's own token
   * check). Viewers get keys hidden and no connection strings. Default: every request is an admin.
   */
  readonly roleOf?: (request: FastifyRequest) => ServiceApiRole;
}

/**
 * The service API as a Fastify plugin: register it with `{ prefix: SERVICE_API_PREFIX }`. Its error
 * handling and auth stay inside its own encapsulation context.
 */
export async function serviceApiPlugin(app: FastifyInstance, options: ServiceApiOptions): Promise<void> {
  if (options.externalAuth !== true) {
    const violations = [];
    if (options.adminToken === undefined || options.adminToken.length < MIN_TOKEN_LENGTH) {
      violations.push({
        path: 'adminToken',
        message: `is required, at least ${MIN_TOKEN_LENGTH} characters`,
      });
    }
    if (options.viewerToken !== undefined && options.viewerToken.length < MIN_TOKEN_LENGTH) {
      violations.push({ path: 'viewerToken', message: `must be at least ${MIN_TOKEN_LENGTH} characters` });
    }
    if (violations.length > 0) {
      throw new ServiceError('VALIDATION_FAILED', 'service API options are invalid', { details: violations });
    }
    installServiceAuth(app, { adminToken: options.adminToken ?? '', viewerToken: options.viewerToken });
  } else {
    const roleOf = options.roleOf ?? (() => 'admin' as const);
    app.decorateRequest('hubRole', undefined);
    app.addHook('onRequest', (request, _reply, done) => {
      request.hubRole = roleOf(request);
      if (request.hubRole === 'viewer' && request.method !== 'GET' && request.method !== 'HEAD') {
        done(
          new ServiceError(
            'FORBIDDEN',
            `a viewer cannot ${request.method} ${request.routeOptions.url ?? request.url}`,
          ),
        );
        return;
      }
      done();
    });
  }
  installServiceErrors(app);
  // Operations a request causes carry its source address (the body is parsed by now; the handler runs inside).
  app.addHook('preHandler', (request, _reply, done) => runAsCaller({ sourceAddress: request.ip }, done));
  const { registry, twins, methods, c2d, settings } = options.services;
  registerRegistryRoutes(app, registry);
  registerTwinRoutes(app, twins, methods);
  registerC2dRoutes(app, c2d);
  registerSettingsRoutes(app, settings);
  registerAccessPolicyRoutes(app, settings.accessPolicies);
  registerOperationsRoutes(app, options.operations);
  return Promise.resolve();
}

/**
 * A standalone Fastify 5 app serving the service API under {@link SERVICE_API_PREFIX} (ready, not
 * listening: call `listen`, or `inject` in tests).
 */
export async function createServiceApi(
  options: ServiceApiOptions & { readonly logger?: boolean },
): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_SERVICE_API_BODY_BYTES });
  // Outside the plugin too (unknown prefixes), answer in the same error shape.
  installServiceErrors(app);
  await app.register(serviceApiPlugin, { ...options, prefix: SERVICE_API_PREFIX });
  await app.ready();
  return app;
}
