import { boundedJson, parseJson, readLimit } from '../limits.js';
import type {
  JsonObject,
  Recommendation,
  RecommendationFilter,
  RecommendationRepository,
  RecommendationSort,
} from '../ports/index.js';
import type { SqlValue } from '../sql/index.js';
import { fromTallyRow, readOffset, type RepositoryContext, type TallyRow } from './common.js';

interface RecommendationRow {
  id: number;
  type_id: string;
  device_id: string;
  rec_key: string;
  severity: Recommendation['severity'];
  state: Recommendation['state'];
  details: string;
  raised_at: number;
  resolved_at: number | null;
  updated_at: number;
}

function fromRow(row: RecommendationRow): Recommendation {
  return {
    id: row.id,
    typeId: row.type_id,
    deviceId: row.device_id,
    key: row.rec_key,
    severity: row.severity,
    state: row.state,
    details: parseJson<JsonObject>(row.details),
    raisedAt: row.raised_at,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}

const KEY = 'type_id = ? AND device_id = ? AND rec_key = ?';

/** Recommendations over SQL: one row per (type, device, key), raised and resolved in place. */
export function createRecommendationRepository({ db }: RepositoryContext): RecommendationRepository {
  return {
    async raise(input) {
      const details = boundedJson(`details of recommendation ${input.typeId}`, input.details ?? {});
      // A raised row keeps its raisedAt; a resolved one is raised again from now.
      await db.run(
        `INSERT INTO recommendations (type_id, device_id, rec_key, severity, state, details, raised_at, resolved_at, updated_at)
         VALUES (?, ?, ?, ?, 'raised', ?, ?, NULL, ?)
         ON CONFLICT (type_id, device_id, rec_key) DO UPDATE SET severity = excluded.severity, details = excluded.details,
           raised_at = CASE WHEN recommendations.state = 'raised' THEN recommendations.raised_at ELSE excluded.raised_at END,
           state = 'raised', resolved_at = NULL, updated_at = excluded.updated_at`,
        [input.typeId, input.deviceId, input.key, input.severity, details, input.at, input.at],
      );
      const row = await db.get<RecommendationRow>(`SELECT * FROM recommendations WHERE ${KEY}`, [
        input.typeId,
        input.deviceId,
        input.key,
      ]);
      if (!row) throw new Error('recommendation vanished after upsert');
      return fromRow(row);
    },
    async resolve(key, at) {
      const changed = await db.run(
        `UPDATE recommendations SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE ${KEY} AND state = 'raised'`,
        [at, at, key.typeId, key.deviceId, key.key],
      );
      return changed > 0;
    },
    async get(key) {
      const row = await db.get<RecommendationRow>(`SELECT * FROM recommendations WHERE ${KEY}`, [
        key.typeId,
        key.deviceId,
        key.key,
      ]);
      return row && fromRow(row);
    },
    async list(filter = {}) {
      const where = recommendationWhere(filter);
      const parts = where.clause === '' ? [] : [where.clause.slice(' WHERE '.length)];
      const params = [...where.params];
      if (filter.typeId !== undefined) {
        parts.push('type_id = ?');
        params.push(filter.typeId);
      }
      if (filter.afterId !== undefined) {
        parts.push('id > ?');
        params.push(filter.afterId);
      }
      const clause = parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
      const order =
        filter.afterId === undefined ? `${RECOMMENDATION_ORDER[filter.sort ?? 'updated']}, id DESC` : 'id';
      const rows = await db.all<RecommendationRow>(
        `SELECT * FROM recommendations${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
        [...params, readLimit(filter.limit), readOffset(filter.offset)],
      );
      return rows.map(fromRow);
    },
    async count(filter = {}) {
      const { clause, params } = recommendationWhere(filter);
      const row = await db.get<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM recommendations${clause}`,
        params,
      );
      return Number(row?.n ?? 0);
    },
    async tally(filter = {}) {
      const { clause, params } = recommendationWhere(filter);
      const rows = await db.all<TallyRow>(
        `SELECT device_id, severity, COUNT(*) AS n FROM recommendations${clause} GROUP BY device_id, severity ORDER BY device_id, severity`,
        params,
      );
      return rows.map(fromTallyRow);
    },
  };
}

/** ORDER BY fragments for each sort; severity ranks high above medium above low. */
const RECOMMENDATION_ORDER: Record<RecommendationSort, string> = {
  updated: 'updated_at DESC',
  raised: 'raised_at DESC',
  severity: "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC, updated_at DESC",
};

function recommendationWhere(filter: RecommendationFilter): { clause: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of [
    ['state', filter.state],
    ['device_id', filter.deviceId],
  ] as const) {
    if (value === undefined) continue;
    parts.push(`${column} = ?`);
    params.push(value);
  }
  return { clause: parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`, params };
}
