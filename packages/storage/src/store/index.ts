export { openStore } from './open-store.js';
export type { StoreConfig, SqliteStoreOptions, PostgresStoreOptions, CommonStoreOptions } from './options.js';
