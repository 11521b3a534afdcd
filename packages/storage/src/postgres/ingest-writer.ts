import type { GroupWriter } from '../ingest/index.js';
import type { PostgresDatabase } from './database.js';

/**
 * PostgreSQL's group writer: one transaction per group (`synchronous_commit = on`, so COMMIT waits
 * for the WAL flush). Ids come from the `ingest_head` row, whose row lock serialises appenders in
 * every process: a later id can never become visible before an earlier one, so consumers reading
 * "after my cursor" never skip a record. One `unnest` insert carries the whole group.
 */
export function createPostgresIngestWriter(db: PostgresDatabase): GroupWriter {
  return (records) =>
    db.transaction(async (tx) => {
      const head = await tx.get<{ first: number }>(
        'UPDATE ingest_head SET next_id = next_id + ? WHERE id = 1 RETURNING next_id - ? AS first',
        [records.length, records.length],
      );
      const first = Number(head?.first ?? 1);
      await tx.run(
        `INSERT INTO ingest_log (id, kind, device_id, module_id, received_at, properties, body)
         SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bytea[])`,
        [
          records.map((_, i) => first + i),
          records.map((r) => r.kind),
          records.map((r) => r.deviceId),
          records.map((r) => r.moduleId),
          records.map((r) => r.receivedAt),
          records.map((r) => r.properties),
          records.map((r) => r.body),
        ],
      );
      return first;
    });
}
