import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityKey } from '@vigil/storage';
import { checkIds, ServiceError, validationFailed, type ServiceViolation } from '../registry/index.js';
import { RequestReader } from './request-reader.js';

/** Path parameters of identity routes. */
export interface IdentityParams {
  readonly deviceId: string;
  readonly moduleId?: string;
}

/** The identity a route addresses, its ids checked (`VALIDATION_FAILED` otherwise). */
export function identityOf(params: IdentityParams): IdentityKey {
  const violations: ServiceViolation[] = [];
  checkIds(params, violations);
  if (violations.length > 0) throw validationFailed(violations);
  return { deviceId: params.deviceId, moduleId: params.moduleId ?? null };
}

/** The `If-Match` header without quotes (IoT Hub sends etags quoted), or undefined. */
export function ifMatchOf(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  return header
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

/** Reads a body with {@link RequestReader}, then throws `VALIDATION_FAILED` listing every violation. */
export function readBody<T>(body: unknown, read: (reader: RequestReader) => T): T {
  const reader = new RequestReader(body ?? {}, 'body');
  const value = read(reader);
  reader.rejectUnknown();
  if (reader.violations.length > 0) throw validationFailed(reader.violations);
  return value;
}

/** Reads query parameters the same way (`query.limit`…). */
export function readQuery<T>(query: unknown, read: (reader: RequestReader) => T): T {
  const reader = new RequestReader(query ?? {}, 'query');
  const value = read(reader);
  // IoT Hub clients send `api-version` on every call (reference/iothub-mqtt.md §5.1); it changes nothing here.
  reader.any('api-version');
  reader.rejectUnknown();
  if (reader.violations.length > 0) throw validationFailed(reader.violations);
  return value;
}

/** Sends `value` with its etag as the `ETag` header (quoted, as HTTP and IoT Hub write it). */
export function withEtag<T extends { readonly etag: string }>(reply: FastifyReply, value: T): T {
  void reply.header('etag', `"${value.etag}"`);
  return value;
}

/** Refuses viewers where an answer would disclose a secret (keys, connection strings). */
export function requireAdmin(request: FastifyRequest): void {
  if (request.hubRole === 'viewer') throw new ServiceError('FORBIDDEN', 'a viewer token cannot read secrets');
}

/** Route body limit for small JSON documents (identities, settings). */
export const SMALL_BODY_BYTES = 64 * 1024;
