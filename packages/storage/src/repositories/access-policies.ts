import { StorageError } from '../errors/index.js';
import { readLimit } from '../limits.js';
import {
  ACCESS_RIGHTS,
  type AccessPolicy,
  type AccessPolicyRepository,
  type AccessRight,
} from '../ports/access-policies.js';
import type { SqlExecutor } from '../sql/index.js';
import { checkEtag, checkName, found, newEtag, type RepositoryContext } from './common.js';

interface PolicyRow {
  name: string;
  rights: string;
  primary_key: string;
  secondary_key: string;
  etag: string;
  created_at: number;
  updated_at: number;
}

/** IoT Hub allows policy names of up to 64 characters. */
const MAX_NAME = 64;
/** Base64 of a 256-byte key is 344 characters; nothing longer is a key. */
const MAX_KEY = 344;

function checkRights(rights: readonly AccessRight[]): AccessRight[] {
  if (!Array.isArray(rights) || rights.length === 0 || rights.length > 16) {
    throw new StorageError(
      'LIMIT_EXCEEDED',
      `rights must be a non-empty list of ${ACCESS_RIGHTS.join(', ')}`,
    );
  }
  const known: readonly unknown[] = ACCESS_RIGHTS;
  for (const right of rights as readonly unknown[]) {
    if (!known.includes(right)) {
      throw new StorageError(
        'LIMIT_EXCEEDED',
        `unknown right ${JSON.stringify(right)}; known: ${ACCESS_RIGHTS.join(', ')}`,
      );
    }
  }
  return ACCESS_RIGHTS.filter((right) => rights.includes(right));
}

function checkKey(what: string, key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY) {
    throw new StorageError('LIMIT_EXCEEDED', `${what} must be 1 to ${MAX_KEY} characters`);
  }
}

/** Shared access policies over SQL; both keys are sealed with the store's secret key, like device keys. */
export function createAccessPolicyRepository({ db, secrets }: RepositoryContext): AccessPolicyRepository {
  const label = (name: string) => `access policy ${name}`;
  // The sealing context binds a ciphertext to its policy and slot, so a row's keys cannot be swapped.
  const context = (name: string, slot: string) => `access-policy:${name}:${slot}`;

  function fromRow(row: PolicyRow): AccessPolicy {
    return {
      name: row.name,
      // Filtered rather than checked: a right this code does not know grants nothing here.
      rights: ACCESS_RIGHTS.filter((right) => (JSON.parse(row.rights) as string[]).includes(right)),
      primaryKey: secrets.open(row.primary_key, context(row.name, 'primary')),
      secondaryKey: secrets.open(row.secondary_key, context(row.name, 'secondary')),
      etag: row.etag,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  const select = (tx: SqlExecutor, name: string, lock = '') =>
    tx.get<PolicyRow>(`SELECT * FROM access_policies WHERE name = ?${lock}`, [name]);

  return {
    async create(policy, now = Date.now()) {
      checkName('policy name', policy.name, MAX_NAME);
      const rights = checkRights(policy.rights);
      checkKey('primaryKey', policy.primaryKey);
      checkKey('secondaryKey', policy.secondaryKey);
      return db.transaction(async (tx) => {
        if (await select(tx, policy.name)) {
          throw new StorageError('ALREADY_EXISTS', `${label(policy.name)} already exists`);
        }
        await tx.run(
          `INSERT INTO access_policies (name, rights, primary_key, secondary_key, etag, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            policy.name,
            JSON.stringify(rights),
            secrets.seal(policy.primaryKey, context(policy.name, 'primary')),
            secrets.seal(policy.secondaryKey, context(policy.name, 'secondary')),
            newEtag(),
            now,
            now,
          ],
        );
        return fromRow(found(label(policy.name), await select(tx, policy.name)));
      });
    },

    async get(name) {
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) return undefined;
      const row = await select(db, name);
      return row && fromRow(row);
    },

    async list(options = {}) {
      const rows = await db.all<PolicyRow>(
        'SELECT * FROM access_policies WHERE name > ? ORDER BY name LIMIT ?',
        [options.after ?? '', readLimit(options.limit)],
      );
      return rows.map(fromRow);
    },

    async update(name, patch, options = {}) {
      const rights = patch.rights === undefined ? undefined : checkRights(patch.rights);
      if (patch.primaryKey !== undefined) checkKey('primaryKey', patch.primaryKey);
      if (patch.secondaryKey !== undefined) checkKey('secondaryKey', patch.secondaryKey);
      return db.transaction(async (tx) => {
        const row = found(label(name), await select(tx, name, db.forUpdate));
        checkEtag(label(name), row.etag, options.ifMatch);
        const current = fromRow(row);
        await tx.run(
          `UPDATE access_policies SET rights = ?, primary_key = ?, secondary_key = ?, etag = ?, updated_at = ? WHERE name = ?`,
          [
            JSON.stringify(rights ?? current.rights),
            secrets.seal(patch.primaryKey ?? current.primaryKey, context(name, 'primary')),
            secrets.seal(patch.secondaryKey ?? current.secondaryKey, context(name, 'secondary')),
            newEtag(),
            options.now ?? Date.now(),
            name,
          ],
        );
        return fromRow(found(label(name), await select(tx, name)));
      });
    },

    async delete(name, options = {}) {
      return db.transaction(async (tx) => {
        const row = await select(tx, name, db.forUpdate);
        if (!row) return false;
        checkEtag(label(name), row.etag, options.ifMatch);
        await tx.run('DELETE FROM access_policies WHERE name = ?', [name]);
        return true;
      });
    },
  };
}
