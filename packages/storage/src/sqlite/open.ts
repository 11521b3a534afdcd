import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../errors/index.js';
import { createSqlIngestLog } from '../ingest/index.js';
import { migrate } from '../migrations/index.js';
import type { Store } from '../ports/index.js';
import { assembleStore, checkSecretKey, resolveSecretBox } from '../store/assemble.js';
import type { SqliteStoreOptions } from '../store/options.js';
import { openSqliteDatabase } from './database.js';
import { createSqliteIngestWriter } from './ingest-writer.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

/** The database file's name when none is configured. */
export const DEFAULT_SQLITE_FILE = 'vigil.db';

/** Opens (creating and migrating as needed) the SQLite store under `options.dataDir`. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) {
    throw new StorageError('INVALID_OPTIONS', 'the SQLite store needs a dataDir');
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const { box, source } = await resolveSecretBox(options, options.dataDir);
  const db = openSqliteDatabase(join(options.dataDir, options.fileName ?? DEFAULT_SQLITE_FILE));
  try {
    const schemaVersion = await migrate(db, SQLITE_MIGRATIONS);
    await checkSecretKey(db, box, source);
    return assembleStore({
      db,
      secrets: box,
      schemaVersion,
      ingestLog: createSqlIngestLog(db, createSqliteIngestWriter(db)),
      options,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
}
