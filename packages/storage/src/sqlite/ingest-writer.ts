import type { GroupWriter } from '../ingest/index.js';
import type { SqliteDatabase } from './database.js';

/**
 * SQLite's group writer: one synchronous transaction per group under the connection lock. With WAL
 * and `synchronous=FULL`, COMMIT returns only after the WAL is fsynced, so when the promise
 * resolves the records survive a crash or power loss.
 */
export function createSqliteIngestWriter(db: SqliteDatabase): GroupWriter {
  return (records) =>
    db.exclusive(() =>
      db.transactionSync(() => {
        const head = db.getSync<{ next_id: number }>('SELECT next_id FROM ingest_head WHERE id = 1');
        const first = Number(head?.next_id ?? 1);
        db.runSync('UPDATE ingest_head SET next_id = ? WHERE id = 1', [first + records.length]);
        let id = first;
        for (const r of records) {
          db.runSync(
            'INSERT INTO ingest_log (id, kind, device_id, module_id, received_at, properties, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [id++, r.kind, r.deviceId, r.moduleId, r.receivedAt, r.properties, r.body],
          );
        }
        return first;
      }),
    );
}
