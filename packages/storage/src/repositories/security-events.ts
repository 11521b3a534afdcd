import { boundedJson, parseJson, readLimit } from '../limits.js';
import type {
  JsonObject,
  SecurityEventFilter,
  SecurityEventRepository,
  SecurityEventSort,
  StoredSecurityEvent,
} from '../ports/index.js';
import type { SqlValue } from '../sql/index.js';
import { checkName, readOffset, type RepositoryContext } from './common.js';

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
      const { clause, params } = eventWhere(filter);
      const rows = await db.all<EventRow>(
        `SELECT * FROM security_events${clause} ORDER BY ${EVENT_ORDER[filter.sort ?? 'at']}, id DESC LIMIT ? OFFSET ?`,
        [...params, readLimit(filter.limit), readOffset(filter.offset)],
      );
      return rows.map(fromRow);
    },
    async count(filter) {
      const { clause, params } = eventWhere(filter);
      const row = await db.get<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM security_events${clause}`,
        params,
      );
      return Number(row?.n ?? 0);
    },
  };
}

const EVENT_ORDER: Record<SecurityEventSort, string> = {
  at: 'at DESC',
  received: 'received_at DESC',
};

function eventWhere(filter: SecurityEventFilter): { clause: string; params: SqlValue[] } {
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
  return { clause: ` WHERE ${parts.join(' AND ')}`, params };
}
