import type { FastifyInstance } from 'fastify';
import { redactUrl } from './logger-options.js';

/**
 * One log line per answered request, at a level that follows what happened: refused credentials
 * (401/403) at `warn` (someone may be guessing tokens), other client errors at `info`, successes at
 * `debug` so a dashboard's polling does not flood the log at the default level. Server errors are
 * logged with their cause by the error handler. Never headers, so never the token.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level =
      status === 401 || status === 403 ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    request.log[level](
      {
        method: request.method,
        url: redactUrl(request.url),
        route: request.routeOptions.url,
        statusCode: status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        remoteAddress: request.ip,
        role: request.role,
      },
      'request completed',
    );
    done();
  });
}
