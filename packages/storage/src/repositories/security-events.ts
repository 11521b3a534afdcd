import { boundedJson, parseJson, readLimit } from '../limits.js';
import type { JsonObject, SecurityEventRepository, StoredSecurityEvent } from '../ports/index.js';
import type { SqlValue } from '../sql/index.js';
import { checkName, type RepositoryContext } from './common.js';

interface EventRow {
  event_id: string;
  device_id: string;
  module_id: string | null;
  name: string;
  category: string;
  event_type: string;
  at: number;
  received_at: number;
  payload: string;
  ingest_id: string | null;
}

function fromRow(row: EventRow): StoredSecurityEvent {
  return {
    eventId: row.event_id,
    deviceId: row.device_id,
    moduleId: row.module_id,
    name: row.name,
    category: row.category,
    eventType: row.event_type,
    at: row.at,
    receivedAt: row.received_at,
    payload: parseJson<JsonObject>(row.payload),
    ingestId: row.ingest_id,
  };
}

/** Security events over SQL; recording is idempotent by event id. */
export function createSecurityEventRepository({ db }: RepositoryContext): SecurityEventRepository {
  return {
    async record(events) {
      readLimit(events.length === 0 ? 1 : events.length);
      const rows = events.map((event) => {
        checkName('eventId', event.eventId);
        return [
          event.eventId,
          event.deviceId,
          event.moduleId,
          event.name,
          event.category,
          event.eventType,
          event.at,
          event.receivedAt,
          boundedJson(`payload of event ${event.eventId}`, event.payload),
          event.ingestId,
        ];
      });
      return db.transaction(async (tx) => {
        let inserted = 0;
        for (const row of rows) {
          inserted += await tx.run(
            `INSERT INTO security_events (event_id, device_id, module_id, name, category, event_type, at, received_at, payload, ingest_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
            row,
          );
        }
        return inserted;
      });
    },
    async list(filter) {
      const parts = ['device_id = ?'];
      const params: SqlValue[] = [filter.deviceId];
      for (const [sql, value] of [
        ['name = ?', filter.name],
        ['at >= ?', filter.since],
        ['at < ?', filter.until],
      ] as const) {
        if (value === undefined) continue;
        parts.push(sql);
        params.push(value);
      }
      const rows = await db.all<EventRow>(
        `SELECT * FROM security_events WHERE ${parts.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`,
        [...params, readLimit(filter.limit)],
      );
      return rows.map(fromRow);
    },
  };
}
