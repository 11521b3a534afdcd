import { StorageError } from '../errors/index.js';
import { readLimit } from '../limits.js';
import type { Identity, IdentityAuth, IdentityKey, IdentityRepository, NewIdentity } from '../ports/index.js';
import type { SqlExecutor } from '../sql/index.js';
import {
  checkEtag,
  checkName,
  found,
  moduleColumn,
  moduleFromColumn,
  newEtag,
  type RepositoryContext,
} from './common.js';

interface IdentityRow {
  device_id: string;
  module_id: string;
  auth_type: IdentityAuth['type'];
  primary_key: string | null;
  secondary_key: string | null;
  primary_thumbprint: string | null;
  secondary_thumbprint: string | null;
  status: Identity['status'];
  status_reason: string | null;
  etag: string;
  connection_state: Identity['connectionState'];
  connection_state_updated_at: number | null;
  last_activity_at: number | null;
  created_at: number;
  updated_at: number;
}

const KEY = 'device_id = ? AND module_id = ?';

/** The identity registry over SQL; symmetric keys are sealed with the store's secret key. */
export function createIdentityRepository({ db, secrets }: RepositoryContext): IdentityRepository {
  const name = (key: IdentityKey) =>
    key.moduleId === null ? `device ${key.deviceId}` : `module ${key.deviceId}/${key.moduleId}`;
  const context = (key: IdentityKey, slot: string) =>
    `identity:${key.deviceId}/${moduleColumn(key.moduleId)}:${slot}`;

  function authColumns(key: IdentityKey, auth: IdentityAuth): (string | null)[] {
    switch (auth.type) {
      case 'sas':
        return [
          secrets.seal(auth.primaryKey, context(key, 'primary')),
          secrets.seal(auth.secondaryKey, context(key, 'secondary')),
          null,
          null,
        ];
      case 'selfSigned':
        return [null, null, auth.primaryThumbprint.toUpperCase(), auth.secondaryThumbprint.toUpperCase()];
      case 'certificateAuthority':
        return [null, null, null, null];
    }
  }

  function fromRow(row: IdentityRow): Identity {
    const key = { deviceId: row.device_id, moduleId: moduleFromColumn(row.module_id) };
    let auth: IdentityAuth;
    if (row.auth_type === 'sas') {
      auth = {
        type: 'sas',
        primaryKey: secrets.open(row.primary_key ?? '', context(key, 'primary')),
        secondaryKey: secrets.open(row.secondary_key ?? '', context(key, 'secondary')),
      };
    } else if (row.auth_type === 'selfSigned') {
      auth = {
        type: 'selfSigned',
        primaryThumbprint: row.primary_thumbprint ?? '',
        secondaryThumbprint: row.secondary_thumbprint ?? '',
      };
    } else {
      auth = { type: 'certificateAuthority' };
    }
    return {
      ...key,
      auth,
      status: row.status,
      statusReason: row.status_reason,
      etag: row.etag,
      connectionState: row.connection_state,
      connectionStateUpdatedAt: row.connection_state_updated_at,
      lastActivityAt: row.last_activity_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  const select = (tx: SqlExecutor, key: IdentityKey, lock = '') =>
    tx.get<IdentityRow>(`SELECT * FROM identities WHERE ${KEY}${lock}`, [
      key.deviceId,
      moduleColumn(key.moduleId),
    ]);

  return {
    async create(identity: NewIdentity, now = Date.now()) {
      checkName('deviceId', identity.deviceId);
      if (identity.moduleId !== null) checkName('moduleId', identity.moduleId);
      return db.transaction(async (tx) => {
        if (
          identity.moduleId !== null &&
          !(await select(tx, { deviceId: identity.deviceId, moduleId: null }))
        ) {
          throw new StorageError(
            'NOT_FOUND',
            `device ${identity.deviceId} does not exist (needed for module ${identity.moduleId})`,
          );
        }
        if (await select(tx, identity))
          throw new StorageError('ALREADY_EXISTS', `${name(identity)} already exists`);
        await tx.run(
          `INSERT INTO identities (device_id, module_id, auth_type, primary_key, secondary_key, primary_thumbprint,
             secondary_thumbprint, status, status_reason, etag, connection_state, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'disconnected', ?, ?)`,
          [
            identity.deviceId,
            moduleColumn(identity.moduleId),
            identity.auth.type,
            ...authColumns(identity, identity.auth),
            identity.status ?? 'enabled',
            identity.statusReason ?? null,
            newEtag(),
            now,
            now,
          ],
        );
        return fromRow(found(name(identity), await select(tx, identity)));
      });
    },

    async get(key) {
      const row = await select(db, key);
      return row && fromRow(row);
    },

    async list(options = {}) {
      const limit = readLimit(options.limit);
      const after = options.after ?? { deviceId: '', moduleId: null };
      const rows =
        options.deviceId === undefined
          ? await db.all<IdentityRow>(
              `SELECT * FROM identities WHERE device_id > ? OR (device_id = ? AND module_id > ?) ORDER BY device_id, module_id LIMIT ?`,
              [after.deviceId, after.deviceId, moduleColumn(after.moduleId), limit],
            )
          : await db.all<IdentityRow>(
              `SELECT * FROM identities WHERE device_id = ? ORDER BY module_id LIMIT ?`,
              [options.deviceId, limit],
            );
      return rows.map(fromRow);
    },

    async update(key, patch, options = {}) {
      return db.transaction(async (tx) => {
        const row = found(name(key), await select(tx, key, db.forUpdate));
        checkEtag(name(key), row.etag, options.ifMatch);
        const current = fromRow(row);
        const auth = patch.auth ?? current.auth;
        await tx.run(
          `UPDATE identities SET auth_type = ?, primary_key = ?, secondary_key = ?, primary_thumbprint = ?, secondary_thumbprint = ?,
             status = ?, status_reason = ?, etag = ?, updated_at = ? WHERE ${KEY}`,
          [
            auth.type,
            ...authColumns(key, auth),
            patch.status ?? current.status,
            patch.statusReason === undefined ? current.statusReason : patch.statusReason,
            newEtag(),
            options.now ?? Date.now(),
            key.deviceId,
            moduleColumn(key.moduleId),
          ],
        );
        return fromRow(found(name(key), await select(tx, key)));
      });
    },

    async delete(key, options = {}) {
      return db.transaction(async (tx) => {
        const row = await select(tx, key, db.forUpdate);
        if (!row) return false;
        checkEtag(name(key), row.etag, options.ifMatch);
        if (key.moduleId === null) {
          // A device takes its modules and all their twins with it.
          await tx.run('DELETE FROM identities WHERE device_id = ?', [key.deviceId]);
          await tx.run('DELETE FROM twins WHERE device_id = ?', [key.deviceId]);
        } else {
          await tx.run(`DELETE FROM identities WHERE ${KEY}`, [key.deviceId, key.moduleId]);
          await tx.run(`DELETE FROM twins WHERE ${KEY}`, [key.deviceId, key.moduleId]);
        }
        return true;
      });
    },

    async recordActivity(key, activity) {
      const state = activity.connectionState ?? null;
      await db.run(
        `UPDATE identities SET last_activity_at = ?, connection_state = COALESCE(?, connection_state),
           connection_state_updated_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN connection_state_updated_at ELSE ? END WHERE ${KEY}`,
        [activity.at, state, state, activity.at, key.deviceId, moduleColumn(key.moduleId)],
      );
    },

    async recordActivities(updates) {
      if (updates.length === 0) return;
      await db.transaction(async (tx) => {
        for (const update of updates) {
          const state = update.connectionState ?? null;
          const stateAt = update.connectionStateAt ?? update.lastActivityAt;
          await tx.run(
            `UPDATE identities SET last_activity_at = ?, connection_state = COALESCE(?, connection_state),
               connection_state_updated_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN connection_state_updated_at ELSE ? END WHERE ${KEY}`,
            [update.lastActivityAt, state, state, stateAt, update.deviceId, moduleColumn(update.moduleId)],
          );
        }
      });
    },

    async findByThumbprint(thumbprint) {
      const value = thumbprint.toUpperCase();
      const rows = await db.all<IdentityRow>(
        `SELECT * FROM identities WHERE primary_thumbprint = ? OR secondary_thumbprint = ? ORDER BY device_id, module_id LIMIT 1000`,
        [value, value],
      );
      return rows.map(fromRow);
    },
  };
}
