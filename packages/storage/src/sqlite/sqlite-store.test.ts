import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defineStoreContractTests } from '../contract/index.js';
import { openStore } from '../store/index.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-sqlite-contract-'));
let counter = 0;
let dataDir = '';

afterAll(() => rmSync(root, { recursive: true, force: true }));

defineStoreContractTests('SQLite store', {
  fresh() {
    dataDir = join(root, `db-${++counter}`);
    mkdirSync(dataDir);
    return Promise.resolve();
  },
  open: (options = {}) => openStore({ adapter: 'sqlite', dataDir, ...options }),
  setSchemaVersion(version) {
    const db = new BetterSqlite3(join(dataDir, 'vigil.db'));
    db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(
      version,
      'from the future',
      0,
    );
    db.close();
    return Promise.resolve();
  },
  rawDump() {
    // The raw bytes of the database file and its WAL: what an attacker with the disk would see.
    const files = ['vigil.db', 'vigil.db-wal']
      .map((name) => join(dataDir, name))
      .filter((file) => existsSync(file));
    return Promise.resolve(files.map((file) => readFileSync(file).toString('latin1')).join('\n'));
  },
  scratchDir: () => dataDir,
});

describe('SQLite schema upgrade', () => {
  it('upgrades a version 1 database to version 2, keeping its rows and adding access policies', async () => {
    const dir = join(root, 'upgrade-v1');
    mkdirSync(dir);
    const db = new BetterSqlite3(join(dir, 'vigil.db'));
    db.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    for (const statement of SQLITE_MIGRATIONS[0]?.statements ?? []) db.exec(statement);
    db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (1, ?, 0)').run(
      'initial schema',
    );
    db.prepare(
      `INSERT INTO identities (device_id, module_id, auth_type, status, etag, connection_state, created_at, updated_at)
       VALUES ('old-device', '', 'certificateAuthority', 'enabled', 'e', 'disconnected', 1, 1)`,
    ).run();
    db.close();
    const store = await openStore({ adapter: 'sqlite', dataDir: dir });
    try {
      expect(store.schemaVersion).toBe(2);
      expect(await store.identities.get({ deviceId: 'old-device', moduleId: null })).toMatchObject({
        status: 'enabled',
      });
      await store.accessPolicies.create({
        name: 'device',
        rights: ['DeviceConnect'],
        primaryKey: 'a2V5',
        secondaryKey: 'a2V5',
      });
      expect((await store.accessPolicies.list()).map((p) => p.name)).toEqual(['device']);
    } finally {
      await store.close();
    }
  });
});
