import { boundedJson, LIMITS, parseJson, readLimit } from '../limits.js';
import type { IdentityKey, JsonObject, Twin, TwinRepository } from '../ports/index.js';
import { checkEtag, moduleColumn, moduleFromColumn, newEtag, type RepositoryContext } from './common.js';
import { mergePatch } from './json-merge.js';

interface TwinRow {
  device_id: string;
  module_id: string;
  tags: string;
  desired: string;
  reported: string;
  desired_version: number;
  reported_version: number;
  version: number;
  etag: string;
  updated_at: number;
}

type Section = 'tags' | 'desired' | 'reported';

function fromRow(row: TwinRow): Twin {
  return {
    deviceId: row.device_id,
    moduleId: moduleFromColumn(row.module_id),
    tags: parseJson<JsonObject>(row.tags),
    desired: parseJson<JsonObject>(row.desired),
    reported: parseJson<JsonObject>(row.reported),
    desiredVersion: row.desired_version,
    reportedVersion: row.reported_version,
    version: row.version,
    etag: row.etag,
    updatedAt: row.updated_at,
  };
}

/** Twins over SQL: each patch reads, merges and writes in one transaction (row-locked on PostgreSQL). */
export function createTwinRepository({ db }: RepositoryContext): TwinRepository {
  async function patch(
    key: IdentityKey,
    section: Section,
    changes: JsonObject,
    ifMatch: string | undefined,
    now: number,
  ): Promise<Twin> {
    const what = `twin of ${key.deviceId}${key.moduleId === null ? '' : `/${key.moduleId}`}`;
    const params = [key.deviceId, moduleColumn(key.moduleId)];
    return db.transaction(async (tx) => {
      // Creating the row first (a no-op when present) gives PostgreSQL a row to lock.
      await tx.run(
        `INSERT INTO twins (device_id, module_id, tags, desired, reported, desired_version, reported_version, version, etag, updated_at)
         VALUES (?, ?, '{}', '{}', '{}', 1, 1, 1, ?, ?) ON CONFLICT (device_id, module_id) DO NOTHING`,
        [...params, newEtag(), now],
      );
      const row = await tx.get<TwinRow>(
        `SELECT * FROM twins WHERE device_id = ? AND module_id = ?${db.forUpdate}`,
        params,
      );
      if (!row) throw new Error('twin row vanished inside its transaction');
      checkEtag(what, row.etag, ifMatch);
      const current = fromRow(row);
      const merged = boundedJson(
        `${what} ${section}`,
        mergePatch(current[section], changes),
        LIMITS.maxTwinSectionBytes,
      );
      const desiredVersion = current.desiredVersion + (section === 'desired' ? 1 : 0);
      const reportedVersion = current.reportedVersion + (section === 'reported' ? 1 : 0);
      await tx.run(
        `UPDATE twins SET ${section} = ?, desired_version = ?, reported_version = ?, version = ?, etag = ?, updated_at = ?
         WHERE device_id = ? AND module_id = ?`,
        [merged, desiredVersion, reportedVersion, current.version + 1, newEtag(), now, ...params],
      );
      const updated = await tx.get<TwinRow>(
        'SELECT * FROM twins WHERE device_id = ? AND module_id = ?',
        params,
      );
      return fromRow(updated ?? row);
    });
  }

  return {
    async get(key) {
      const row = await db.get<TwinRow>('SELECT * FROM twins WHERE device_id = ? AND module_id = ?', [
        key.deviceId,
        moduleColumn(key.moduleId),
      ]);
      return row && fromRow(row);
    },
    patchDesired: (key, changes, options = {}) =>
      patch(key, 'desired', changes, options.ifMatch, options.now ?? Date.now()),
    patchReported: (key, changes, options = {}) =>
      patch(key, 'reported', changes, undefined, options.now ?? Date.now()),
    patchTags: (key, changes, options = {}) =>
      patch(key, 'tags', changes, options.ifMatch, options.now ?? Date.now()),
    async findByTag(name, value, limit) {
      // Tags are small JSON documents; filtering in code keeps the SQL portable. Bounded by the scan limit.
      const needle = JSON.stringify(name).replace(/[\\%_]/g, (c) => `\\${c}`);
      const rows = await db.all<TwinRow>(
        `SELECT * FROM twins WHERE tags LIKE ? ESCAPE '\\' ORDER BY device_id, module_id LIMIT 10000`,
        [`%${needle}%`],
      );
      const wanted = readLimit(limit);
      return rows
        .map(fromRow)
        .filter((twin) => twin.tags[name] === value)
        .slice(0, wanted);
    },
  };
}
