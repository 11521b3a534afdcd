import { StorageError } from '../errors/index.js';
import { createSqlIngestLog } from '../ingest/index.js';
import { migrate } from '../migrations/index.js';
import type { Store } from '../ports/index.js';
import { assembleStore, checkSecretKey, resolveSecretBox } from '../store/assemble.js';
import type { PostgresStoreOptions } from '../store/options.js';
import { openPostgresDatabase } from './database.js';
import { createPostgresIngestWriter } from './ingest-writer.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** Opens (creating the schema and migrating as needed) the PostgreSQL store at `options.url`. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  if (typeof options.url !== 'string' || !/^postgres(ql)?:\/\//.test(options.url)) {
    throw new StorageError(
      'INVALID_OPTIONS',
      'the PostgreSQL store needs a url like postgres://user@host:5432/db',
    );
  }
  const { box, source } = await resolveSecretBox(options, options.dataDir);
  const schema = options.schema ?? 'public';
  const db = openPostgresDatabase({ url: options.url, schema, poolSize: options.poolSize ?? 10 });
  try {
    const schemaVersion = await migrate(db, POSTGRES_MIGRATIONS, {
      prepare: async (tx) => {
        // Several processes may open the same database at once: one migrates, the others wait.
        await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', [`vigil-migrate:${schema}`]);
        // The name was checked against a strict pattern when the pool was made; identifiers cannot be parameters.
        await tx.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      },
    });
    await checkSecretKey(db, box, source);
    return assembleStore({
      db,
      secrets: box,
      schemaVersion,
      ingestLog: createSqlIngestLog(db, createPostgresIngestWriter(db)),
      options,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
}
