import type { FastifyError, FastifyInstance } from 'fastify';
import { ServiceError, toServiceError } from '../registry/index.js';

/**
 * The service API's error handling, scoped to its routes: every error is answered as
 * `{ error: { code, message, details } }` with the code's status. Fastify's own body errors map to
 * `VALIDATION_FAILED` / `PAYLOAD_TOO_LARGE`; anything unexpected is `INTERNAL` and logged, never
 * shown.
 */
export function installServiceErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ServiceError | Error, request, reply) => {
    let mapped: ServiceError;
    if (error instanceof ServiceError) mapped = error;
    else if ('code' in error && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      mapped = new ServiceError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      // Unparseable JSON, a wrong content type, an empty body where one is needed.
      mapped = new ServiceError('VALIDATION_FAILED', error.message, {
        details: [{ path: 'body', message: error.message }],
      });
    } else {
      mapped = toServiceError(error);
      if (mapped.code === 'INTERNAL') {
        request.log.error({ err: error }, 'hub service API request failed');
        mapped = new ServiceError('INTERNAL', 'internal error');
      }
    }
    void reply.status(mapped.status).send({ error: mapped.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}`, details: [] },
    });
  });
}
