import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../registry/index.js';

/** What a service API token may do: viewers read (keys hidden), admins also change things. */
export type ServiceApiRole = 'admin' | 'viewer';

declare module 'fastify' {
  interface FastifyRequest {
    /** The role the hub service API granted this request (set by its auth hook). */
    hubRole?: ServiceApiRole;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The smallest admin token accepted (bytes of text); shorter ones are guessable. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Bearer-token auth for the service API's routes: `Authorization: Bearer <token>`, compared in
 * constant time (both sides hashed first, so lengths leak nothing). 401 without a valid token, 403
 * for a viewer token on a change.
 */
export function installServiceAuth(
  app: FastifyInstance,
  tokens: { readonly adminToken: string; readonly viewerToken?: string | undefined },
): void {
  const admin = digest(tokens.adminToken);
  const viewer = tokens.viewerToken === undefined ? undefined : digest(tokens.viewerToken);
  app.decorateRequest('hubRole', undefined);
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const presented = match?.[1] === undefined ? undefined : digest(match[1]);
    let role: ServiceApiRole | undefined;
    // Both comparisons always run, so timing does not tell which token was close.
    const isAdmin = presented !== undefined && timingSafeEqual(presented, admin);
    const isViewer = presented !== undefined && viewer !== undefined && timingSafeEqual(presented, viewer);
    if (isAdmin) role = 'admin';
    else if (isViewer) role = 'viewer';
    if (role === undefined) {
      done(
        new ServiceError('UNAUTHENTICATED', 'send the hub admin token as "Authorization: Bearer <token>"'),
      );
      return;
    }
    if (role === 'viewer' && !READ_METHODS.has(request.method)) {
      done(
        new ServiceError(
          'FORBIDDEN',
          `a viewer token cannot ${request.method} ${request.routeOptions.url ?? request.url}`,
        ),
      );
      return;
    }
    request.hubRole = role;
    done();
  });
}
