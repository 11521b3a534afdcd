import type { FastifyError, FastifyInstance } from 'fastify';
import { isStorageError } from '@vigil/storage';

/** One violation of a request: where and what. */
export interface Violation {
  readonly path: string;
  readonly message: string;
  /** A stable code for the violation, for callers that act on it (`FEED_SOURCE_INVALID`…); not every route sets one. */
  readonly code?: string;
}

/** The stable error codes of Vigil's API. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'PRECONDITION_FAILED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

const STATUS: Record<ApiErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  PRECONDITION_FAILED: 412,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

/** An error answered as `{ error: { code, message, details } }` with the code's status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: readonly Violation[];

  constructor(code: ApiErrorCode, message: string, details: readonly Violation[] = []) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** A validation failure listing every violation. */
export function validationFailed(violations: readonly Violation[]): ApiError {
  return new ApiError('VALIDATION_FAILED', `${violations.length} problem(s) with the request`, violations);
}

const STORAGE_CODES: Record<string, ApiErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  ALREADY_EXISTS: 'CONFLICT',
  LIMIT_EXCEEDED: 'PAYLOAD_TOO_LARGE',
  INVALID_OPTIONS: 'VALIDATION_FAILED',
};

/**
 * Installs the error handler: API errors keep their code, storage errors map to theirs, Fastify's
 * own validation and body-size errors become `VALIDATION_FAILED` / `PAYLOAD_TOO_LARGE`, anything else is
 * `INTERNAL` without internals in the answer (it is logged).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError | Error, request, reply) => {
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (isStorageError(error))
      apiError = new ApiError(STORAGE_CODES[error.code] ?? 'INTERNAL', error.message);
    else if ('validation' in error && Array.isArray(error.validation)) {
      apiError = validationFailed(
        error.validation.map((issue) => ({
          path: `${error.validationContext ?? 'body'}${issue.instancePath}`,
          message: issue.message ?? 'is invalid',
        })),
      );
    } else if ('code' in error && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      apiError = new ApiError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      apiError = new ApiError('VALIDATION_FAILED', error.message);
    } else {
      request.log.error({ err: error }, 'request failed');
      apiError = new ApiError('INTERNAL', 'internal error');
    }
    void reply
      .status(apiError.status)
      .send({ error: { code: apiError.code, message: apiError.message, details: apiError.details } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}`, details: [] },
    });
  });
}
