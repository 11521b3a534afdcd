import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { StorageError } from '../errors/index.js';
import { LIMITS } from '../limits.js';
import type { PruneOptions, PruneResult } from '../ports/index.js';
import type { SqlDatabase } from '../sql/index.js';

/** What retention prunes, and by which time column. Constants, never caller input. */
const TABLES = [
  { table: 'ingest_log', column: 'received_at', result: 'ingestRecords', fromHead: true },
  { table: 'security_events', column: 'received_at', result: 'securityEvents', fromHead: false },
  { table: 'operations', column: 'at', result: 'operations', fromHead: false },
] as const;

/**
 * One batch's statement. The ingest log has no time index (it would cost every append), so it is
 * pruned from its head: among its oldest `batchSize` records, those older than the cutoff go, and
 * the pass stops at the first batch that is not entirely old. Receive times follow append order
 * (the hub stamps them), so this removes exactly the old records in practice; a record stamped
 * out of order only waits until the records before it have aged out too.
 */
function batchStatement(table: string, column: string, fromHead: boolean): string {
  return fromHead
    ? `DELETE FROM ${table} WHERE id IN (SELECT id FROM (SELECT id, ${column} FROM ${table} ORDER BY id LIMIT ?) head WHERE ${column} < ?)`
    : `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${column} < ? ORDER BY id LIMIT ?)`;
}

/** Retention defaults: 30 days. */
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Deletes rows older than the retention age, `batchSize` rows per transaction, yielding to the
 * event loop between batches so appends (and everything else) interleave with a long prune.
 */
export async function prune(
  db: SqlDatabase,
  options: PruneOptions & { readonly maxAgeMs: number },
): Promise<PruneResult> {
  const batchSize = options.batchSize ?? LIMITS.pruneBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new StorageError(
      'LIMIT_EXCEEDED',
      `prune batchSize must be an integer from 1 to 10000, got ${batchSize}`,
    );
  }
  if (!(options.maxAgeMs >= 0))
    throw new StorageError('INVALID_OPTIONS', `retention maxAgeMs must be ≥ 0, got ${options.maxAgeMs}`);
  const cutoff = (options.now ?? Date.now()) - options.maxAgeMs;
  const result = { ingestRecords: 0, securityEvents: 0, operations: 0, batches: 0 };
  for (const { table, column, result: field, fromHead } of TABLES) {
    const statement = batchStatement(table, column, fromHead);
    for (;;) {
      const deleted = await db.run(statement, fromHead ? [batchSize, cutoff] : [cutoff, batchSize]);
      result[field] += deleted;
      result.batches += 1;
      if (deleted < batchSize) break;
      await yieldToEventLoop();
    }
  }
  return result;
}
