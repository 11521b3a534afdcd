import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll } from 'vitest';
import { defineStoreContractTests } from '../contract/index.js';
import { openStore } from '../store/index.js';

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
