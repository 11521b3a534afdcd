import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, TokenStore } from '../auth/tokens.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The role of the token the request carried (set by the auth hook). */
    role?: Role;
    /** The id of the token the request carried (audit logs name it; never the secret). */
    tokenId?: string;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a token (health, the OpenAPI document, the dashboard's files). */
    public?: boolean;
    /**
     * The role a route needs when it differs from the default (viewers read, admins write): reads
     * that disclose secrets or manage access (the token list) say `admin`.
     */
    role?: Role;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The role a route needs: its `config.role`, else viewer for reads and admin for everything else. */
export function requiredRole(method: string, configured: Role | undefined): Role {
  return configured ?? (READ_METHODS.has(method) ? 'viewer' : 'admin');
}

/**
 * Token authentication: `Authorization: Bearer <token>`. Viewers may read; changing anything (and
 * reading what a route marks `role: 'admin'`) takes an admin token. 401 without a valid token, 403
 * for a viewer's write.
 */
export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('role', undefined);
  app.decorateRequest('tokenId', undefined);
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    const config = request.routeOptions.config;
    if (config.public === true) {
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
    if (record.role !== 'admin' && requiredRole(request.method, config.role) === 'admin') {
      done(
        new ApiError(
          'FORBIDDEN',
          `a ${record.role} token cannot ${request.method} ${request.routeOptions.url ?? request.url}`,
        ),
      );
      return;
    }
    request.role = record.role;
    request.tokenId = record.id;
    done();
  });
}
