import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, TokenStore } from '../auth/tokens.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The role of the token the request carried (set by the auth hook). */
    role?: Role;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a token (health, the OpenAPI document, the dashboard's files). */
    public?: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Token authentication: `Authorization: Bearer <token>`. Viewers may read; changing anything takes an
 * admin token. 401 without a valid token, 403 for a viewer's write.
 */
export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('role', undefined);
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    if (request.routeOptions.config.public === true) {
      done();
      return;
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const record = match?.[1] === undefined ? undefined : tokens.verify(match[1]);
    if (record === undefined) {
      done(new ApiError('UNAUTHENTICATED', 'send an API token as "Authorization: Bearer <token>"'));
      return;
    }
    if (record.role !== 'admin' && !READ_METHODS.has(request.method)) {
      done(
        new ApiError(
          'FORBIDDEN',
          `a ${record.role} token cannot ${request.method} ${request.routeOptions.url ?? request.url}`,
        ),
      );
      return;
    }
    request.role = record.role;
    done();
  });
}
