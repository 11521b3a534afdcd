import { StorageError } from '../errors/index.js';
import { boundedJson, LIMITS, parseJson, readLimit } from '../limits.js';
import type {
  Alert,
  AlertFilter,
  AlertHistoryEntry,
  AlertRepository,
  AlertSort,
  JsonValue,
  Severity,
} from '../ports/index.js';
import type { SqlExecutor, SqlValue } from '../sql/index.js';
import { fromTallyRow, readOffset, type RepositoryContext, type TallyRow } from './common.js';

const DEFAULT_DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000;

interface AlertRow {
  id: number;
  type_id: string;
  device_id: string;
  alert_key: string;
  severity: Alert['severity'];
  status: Alert['status'];
  title: string;
  first_seen_at: number;
  last_seen_at: number;
  occurrences: number;
  evidence: string;
  remediation: string;
  updated_at: number;
}

function fromRow(row: AlertRow): Alert {
  return {
    id: row.id,
    typeId: row.type_id,
    deviceId: row.device_id,
    key: row.alert_key,
    severity: row.severity,
    status: row.status,
    title: row.title,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    occurrences: row.occurrences,
    evidence: parseJson<JsonValue[]>(row.evidence),
    remediation: parseJson<string[]>(row.remediation),
    updatedAt: row.updated_at,
  };
}

async function selectAlert(tx: SqlExecutor, id: number): Promise<Alert> {
  const row = await tx.get<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id]);
  if (!row) throw new StorageError('NOT_FOUND', `alert ${id} does not exist`);
  return fromRow(row);
}

async function addHistory(tx: SqlExecutor, alertId: number, entry: AlertHistoryEntry): Promise<void> {
  await tx.run('INSERT INTO alert_history (alert_id, at, action, actor, note) VALUES (?, ?, ?, ?, ?)', [
    alertId,
    entry.at,
    entry.action,
    entry.actor,
    entry.note,
  ]);
}

/** Alerts over SQL: deduplicated by (type, device, key) within a window, idempotent by occurrence id. */
export function createAlertRepository({ db }: RepositoryContext): AlertRepository {
  return {
    async raise(occurrence) {
      const occurrenceKey = JSON.stringify([
        occurrence.typeId,
        occurrence.deviceId,
        occurrence.key,
        occurrence.occurrenceId,
      ]);
      const evidenceItem = occurrence.evidence === undefined ? [] : [occurrence.evidence];
      boundedJson('alert evidence', evidenceItem);
      const window = occurrence.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
      return db.transaction(async (tx) => {
        if (db.dialect === 'postgres') {
          // FOR UPDATE cannot lock a row that does not exist yet: without this, concurrent first
          // occurrences each insert their own alert. SQLite serialises write transactions already.
          await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', [
            `alert|${occurrence.typeId}|${occurrence.deviceId}|${occurrence.key}`,
          ]);
        }
        const seen = await tx.get<{ alert_id: number }>(
          'SELECT alert_id FROM alert_occurrences WHERE occurrence_key = ?',
          [occurrenceKey],
        );
        if (seen) return { alert: await selectAlert(tx, seen.alert_id), result: 'duplicate' as const };
        const active = await tx.get<AlertRow>(
          `SELECT * FROM alerts WHERE type_id = ? AND device_id = ? AND alert_key = ? AND status = 'active' AND last_seen_at >= ?
           ORDER BY id DESC LIMIT 1${db.forUpdate}`,
          [occurrence.typeId, occurrence.deviceId, occurrence.key, occurrence.at - window],
        );
        let alertId: number;
        if (active) {
          alertId = active.id;
          const evidence = [...parseJson<JsonValue[]>(active.evidence), ...evidenceItem].slice(
            -LIMITS.maxAlertEvidence,
          );
          await tx.run(
            `UPDATE alerts SET occurrences = occurrences + 1, last_seen_at = ?, evidence = ?, updated_at = ? WHERE id = ?`,
            [
              Math.max(active.last_seen_at, occurrence.at),
              boundedJson('alert evidence', evidence),
              occurrence.at,
              alertId,
            ],
          );
          await addHistory(tx, alertId, { at: occurrence.at, action: 'occurred', actor: null, note: null });
        } else {
          const inserted = await tx.get<{ id: number }>(
            `INSERT INTO alerts (type_id, device_id, alert_key, severity, status, title, first_seen_at, last_seen_at, occurrences,
               evidence, remediation, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, 1, ?, ?, ?) RETURNING id`,
            [
              occurrence.typeId,
              occurrence.deviceId,
              occurrence.key,
              occurrence.severity,
              occurrence.title,
              occurrence.at,
              occurrence.at,
              JSON.stringify(evidenceItem),
              boundedJson('alert remediation', occurrence.remediation ?? []),
              occurrence.at,
            ],
          );
          if (!inserted) throw new StorageError('DATABASE_ERROR', 'alert insert returned no id');
          alertId = Number(inserted.id);
          await addHistory(tx, alertId, { at: occurrence.at, action: 'raised', actor: null, note: null });
        }
        await tx.run('INSERT INTO alert_occurrences (occurrence_key, alert_id) VALUES (?, ?)', [
          occurrenceKey,
          alertId,
        ]);
        return {
          alert: await selectAlert(tx, alertId),
          result: active ? ('merged' as const) : ('created' as const),
        };
      });
    },

    async get(id) {
      const row = await db.get<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id]);
      return row && fromRow(row);
    },

    async list(filter = {}) {
      const { clause, params } = alertWhere(filter);
      const offset = readOffset(filter.offset);
      const rows = await db.all<AlertRow>(
        `SELECT * FROM alerts${clause} ORDER BY ${ALERT_ORDER[filter.sort ?? 'lastSeen']}, id DESC LIMIT ? OFFSET ?`,
        [...params, readLimit(filter.limit), offset],
      );
      return rows.map(fromRow);
    },

    async count(filter = {}) {
      const { clause, params } = alertWhere(filter);
      const row = await db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM alerts${clause}`, params);
      return Number(row?.n ?? 0);
    },

    async tally(filter = {}) {
      const { clause, params } = alertWhere(filter);
      const rows = await db.all<TallyRow>(
        `SELECT device_id, severity, COUNT(*) AS n FROM alerts${clause} GROUP BY device_id, severity ORDER BY device_id, severity`,
        params,
      );
      return rows.map(fromTallyRow);
    },

    async histogram({ from, bucketMs, buckets }) {
      if (
        !Number.isSafeInteger(bucketMs) ||
        bucketMs < 1 ||
        !Number.isInteger(buckets) ||
        buckets < 1 ||
        buckets > 1_000
      )
        throw new StorageError('INVALID_OPTIONS', 'a histogram needs bucketMs ≥ 1 and 1 to 1000 buckets');
      // Truncated to a whole window on both databases (SQLite may bind the numbers as REAL); the
      // range keeps every quotient in [0, buckets).
      const rows = await db.all<{ bucket: number | string; severity: Severity; n: number | string }>(
        `SELECT CAST((first_seen_at - ?) / ? AS BIGINT) AS bucket, severity, COUNT(*) AS n FROM alerts
         WHERE first_seen_at >= ? AND first_seen_at < ? GROUP BY bucket, severity ORDER BY bucket, severity`,
        [from, bucketMs, from, from + bucketMs * buckets],
      );
      return rows.map((row) => ({
        bucket: Number(row.bucket),
        severity: row.severity,
        count: Number(row.n),
      }));
    },

    async setStatus(id, status, options = {}) {
      const at = options.at ?? Date.now();
      return db.transaction(async (tx) => {
        const current = await selectAlert(tx, id);
        if (current.status !== 'active') {
          throw new StorageError(
            'PRECONDITION_FAILED',
            `alert ${id} is ${current.status}; only an active alert can be ${status}`,
          );
        }
        await tx.run('UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?', [status, at, id]);
        await addHistory(tx, id, {
          at,
          action: status,
          actor: options.actor ?? null,
          note: options.note?.slice(0, 2000) ?? null,
        });
        return selectAlert(tx, id);
      });
    },

    async history(id) {
      const rows = await db.all<AlertHistoryEntry>(
        'SELECT at, action, actor, note FROM alert_history WHERE alert_id = ? ORDER BY id LIMIT 1000',
        [id],
      );
      return rows.map((row) => ({ at: row.at, action: row.action, actor: row.actor, note: row.note }));
    },
  };
}

/** Deepest page an alert list serves (offset paging stays cheap up to here). */
/** ORDER BY fragments for each sort; severity ranks high above medium above low. */
const ALERT_ORDER: Record<AlertSort, string> = {
  lastSeen: 'last_seen_at DESC',
  firstSeen: 'first_seen_at DESC',
  severity: "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC, last_seen_at DESC",
  occurrences: 'occurrences DESC, last_seen_at DESC',
};

function alertWhere(filter: AlertFilter): { clause: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of [
    ['status', filter.status],
    ['device_id', filter.deviceId],
    ['type_id', filter.typeId],
    ['severity', filter.severity],
  ] as const) {
    if (value === undefined) continue;
    parts.push(`${column} = ?`);
    params.push(value);
  }
  if (filter.since !== undefined) {
    parts.push('last_seen_at >= ?');
    params.push(filter.since);
  }
  return { clause: parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`, params };
}
