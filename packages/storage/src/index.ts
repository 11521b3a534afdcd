/**
 * `@vigil/storage`: everything Vigil keeps, behind repository ports, with two adapters that pass
 * one contract suite (`@vigil/storage/contract`): SQLite (the default, one file under a data
 * directory) and PostgreSQL. Includes the durable, group-committed ingest log.
 */
export * from './errors/index.js';
export type * from './ports/index.js';
export { ACCESS_RIGHTS } from './ports/access-policies.js';
export {
  openStore,
  type StoreConfig,
  type SqliteStoreOptions,
  type PostgresStoreOptions,
  type CommonStoreOptions,
} from './store/index.js';
export { openSqliteStore, DEFAULT_SQLITE_FILE, SQLITE_MIGRATIONS } from './sqlite/index.js';
export { openPostgresStore, POSTGRES_MIGRATIONS } from './postgres/index.js';
export { LIMITS } from './limits.js';
export { DEFAULT_RETENTION_MS } from './retention/index.js';
export { DEFAULT_KEY_FILE_NAME } from './secrets/index.js';
export { C2D_DEFAULTS } from './repositories/c2d.js';
