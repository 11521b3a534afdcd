export { openSqliteStore, DEFAULT_SQLITE_FILE } from './open.js';
export { SQLITE_MIGRATIONS } from './migrations.js';
