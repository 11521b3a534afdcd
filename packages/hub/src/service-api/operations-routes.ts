import type { FastifyInstance } from 'fastify';
import type { Operation, OperationsRepository } from '@vigil/storage';
import { HUB_OPERATIONS } from '../contract/index.js';
import type { RequestReader } from './request-reader.js';
import { readQuery } from './route-helpers.js';

function time(reader: RequestReader, key: string): number | undefined {
  const text = reader.string(key, { max: 64 });
  if (text === undefined) return undefined;
  const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(at)) {
    reader.violations.push({
      path: `query.${key}`,
      message: 'must be an ISO-8601 time or epoch milliseconds',
    });
    return undefined;
  }
  return at;
}

function operationView(operation: Operation) {
  return {
    id: operation.id,
    time: new Date(operation.at).toISOString(),
    operation: operation.operation,
    outcome: operation.outcome,
    deviceId: operation.deviceId,
    moduleId: operation.moduleId,
    sourceAddress: operation.sourceAddress,
    reason: operation.reason,
    details: operation.details,
  };
}

/**
 * `GET /operations`: the hub's operations log, newest first, filtered by `deviceId`, `operation`,
 * `outcome`, `since` (inclusive) and `until` (exclusive); paged with `limit` and `before` (the
 * `next` value of the previous page).
 */
export function registerOperationsRoutes(app: FastifyInstance, operations: OperationsRepository): void {
  app.get('/operations', async (request) => {
    const query = readQuery(request.query, (q) => ({
      deviceId: q.string('deviceId', { max: 128 }),
      operation: q.oneOf('operation', HUB_OPERATIONS),
      outcome: q.oneOf('outcome', ['success', 'failure'] as const),
      since: time(q, 'since'),
      until: time(q, 'until'),
      limit: q.number('limit', { integer: true, min: 1, max: 1000 }) ?? 100,
      before: q.number('before', { integer: true, min: 1 }),
    }));
    const filter = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
    const rows = await operations.list(filter);
    const last = rows.at(-1);
    return {
      items: rows.map(operationView),
      next: rows.length === query.limit && last !== undefined ? last.id : null,
    };
  });
}
