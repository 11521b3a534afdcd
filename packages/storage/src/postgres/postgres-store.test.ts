import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { defineStoreContractTests } from '../contract/index.js';
import { openStore } from '../store/index.js';
import { postgresForTests, uniqueSchema } from '../testing/postgres-server.js';

const server = postgresForTests();

if (server.mode === 'run') {
  const url = server.url;
  const root = mkdtempSync(join(tmpdir(), 'vigil-pg-contract-'));
  let schema = '';
  let dataDir = '';
  let counter = 0;
  const schemas: string[] = [];
  const admin = new pg.Pool({ connectionString: url, max: 2 });

  afterAll(async () => {
    // Matters when VIGIL_TEST_POSTGRES_URL points at a long-lived server; a throw-away cluster goes anyway.
    for (const name of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await admin.end();
    rmSync(root, { recursive: true, force: true });
  });

  defineStoreContractTests('PostgreSQL store', {
    fresh() {
      schema = uniqueSchema('contract');
      schemas.push(schema);
      dataDir = join(root, `run-${++counter}`);
      mkdirSync(dataDir);
      return Promise.resolve();
    },
    open: (options = {}) => openStore({ adapter: 'postgres', url, schema, dataDir, poolSize: 4, ...options }),
    async setSchemaVersion(version) {
      await admin.query(
        `INSERT INTO "${schema}".schema_version (version, description, applied_at) VALUES ($1, $2, $3)`,
        [version, 'from the future', 0],
      );
    },
    async rawDump() {
      // Every row of every table in the schema, as PostgreSQL's text form.
      const tables = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      const parts: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await admin.query<{ row: string }>(
          `SELECT t::text AS row FROM "${schema}"."${table_name}" t`,
        );
        parts.push(...rows.rows.map((r) => r.row));
      }
      return parts.join('\n');
    },
    scratchDir: () => dataDir,
  });
} else if (server.mode === 'fail') {
  describe('PostgreSQL store', () => {
    it('needs a PostgreSQL server under CI', () => {
      throw new Error(`CI=true but ${server.reason}`);
    });
  });
} else {
  process.stdout.write(`note: PostgreSQL store tests skipped: ${server.reason}\n`);
  describe.skip(`PostgreSQL store (skipped: ${server.reason})`, () => {
    it('runs the contract suite', () => undefined);
  });
}
