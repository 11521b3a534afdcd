import { boundedJson, parseJson, readLimit } from '../limits.js';
import type { JsonObject, Operation, OperationFilter, OperationsRepository } from '../ports/index.js';
import type { SqlValue } from '../sql/index.js';
import type { RepositoryContext } from './common.js';

interface OperationRow {
  id: number;
  source_id: string | null;
  at: number;
  operation: string;
  device_id: string | null;
  module_id: string | null;
  source_address: string | null;
  outcome: Operation['outcome'];
  reason: string | null;
  details: string;
}

function fromRow(row: OperationRow): Operation {
  return {
    id: row.id,
    sourceId: row.source_id,
    at: row.at,
    operation: row.operation,
    deviceId: row.device_id,
    moduleId: row.module_id,
    sourceAddress: row.source_address,
    outcome: row.outcome,
    reason: row.reason,
    details: parseJson<JsonObject>(row.details),
  };
}

/** Builds a WHERE clause from a filter; values go in as parameters. */
function where(filter: OperationFilter): { clause: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    parts.push(sql);
    params.push(value);
  };
  add('device_id = ?', filter.deviceId);
  add('operation = ?', filter.operation);
  add('outcome = ?', filter.outcome);
  add('at >= ?', filter.since);
  add('at < ?', filter.until);
  return { clause: parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`, params };
}

/** The operations log over SQL; recording is idempotent by `sourceId`. */
export function createOperationsRepository({ db }: RepositoryContext): OperationsRepository {
  return {
    async record(operations) {
      readLimit(operations.length === 0 ? 1 : operations.length);
      const rows = operations.map((op) => [
        op.sourceId ?? null,
        op.at,
        op.operation,
        op.deviceId ?? null,
        op.moduleId ?? null,
        op.sourceAddress ?? null,
        op.outcome,
        op.reason ?? null,
        boundedJson(`details of operation ${op.operation}`, op.details ?? {}),
      ]);
      return db.transaction(async (tx) => {
        let inserted = 0;
        for (const row of rows) {
          inserted += await tx.run(
            `INSERT INTO operations (source_id, at, operation, device_id, module_id, source_address, outcome, reason, details)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING`,
            row,
          );
        }
        return inserted;
      });
    },
    async list(filter = {}) {
      const { clause, params } = where(filter);
      const before = filter.before === undefined ? '' : `${clause === '' ? ' WHERE' : ' AND'} id < ?`;
      const rows = await db.all<OperationRow>(
        `SELECT * FROM operations${clause}${before} ORDER BY id DESC LIMIT ?`,
        [...params, ...(filter.before === undefined ? [] : [filter.before]), readLimit(filter.limit)],
      );
      return rows.map(fromRow);
    },
    async count(filter) {
      const { clause, params } = where(filter);
      const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM operations${clause}`, params);
      return Number(row?.n ?? 0);
    },
  };
}
