import { StorageError } from '../errors/index.js';
import { boundedJson, parseJson } from '../limits.js';
import type { CustomRule, SecurityGroup, SecurityGroupRepository } from '../ports/index.js';
import { checkEtag, checkName, newEtag, type RepositoryContext } from './common.js';

interface GroupRow {
  name: string;
  rules: string;
  etag: string;
  updated_at: number;
}

function fromRow(row: GroupRow): SecurityGroup {
  return {
    name: row.name,
    rules: parseJson<CustomRule[]>(row.rules),
    etag: row.etag,
    updatedAt: row.updated_at,
  };
}

/** Device security groups over SQL; the rules are one JSON document per group. */
export function createSecurityGroupRepository({ db }: RepositoryContext): SecurityGroupRepository {
  return {
    async get(name) {
      const row = await db.get<GroupRow>('SELECT * FROM security_groups WHERE name = ?', [name]);
      return row && fromRow(row);
    },
    async list() {
      return (await db.all<GroupRow>('SELECT * FROM security_groups ORDER BY name LIMIT 1000')).map(fromRow);
    },
    async put(group, options = {}) {
      checkName('security group name', group.name);
      const rules = boundedJson(`rules of security group ${group.name}`, group.rules);
      const now = options.now ?? Date.now();
      return db.transaction(async (tx) => {
        const row = await tx.get<GroupRow>(`SELECT * FROM security_groups WHERE name = ?${db.forUpdate}`, [
          group.name,
        ]);
        if (row) checkEtag(`security group ${group.name}`, row.etag, options.ifMatch);
        else if (options.ifMatch !== undefined && options.ifMatch !== '*') {
          throw new StorageError(
            'PRECONDITION_FAILED',
            `security group ${group.name} does not exist, so no etag can match`,
          );
        }
        const etag = newEtag();
        await tx.run(
          `INSERT INTO security_groups (name, rules, etag, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET rules = excluded.rules, etag = excluded.etag, updated_at = excluded.updated_at`,
          [group.name, rules, etag, now],
        );
        return fromRow({ name: group.name, rules, etag, updated_at: now });
      });
    },
    async delete(name) {
      if (name === 'default')
        throw new StorageError('INVALID_OPTIONS', 'the security group "default" cannot be deleted');
      return (await db.run('DELETE FROM security_groups WHERE name = ?', [name])) > 0;
    },
  };
}
