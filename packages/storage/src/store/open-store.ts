import { openPostgresStore } from '../postgres/index.js';
import type { Store } from '../ports/index.js';
import { openSqliteStore } from '../sqlite/index.js';
import type { StoreConfig } from './options.js';

/** Opens the store the configuration names: SQLite under a data directory by default, or PostgreSQL. */
export function openStore(config: StoreConfig): Promise<Store> {
  return config.adapter === 'postgres' ? openPostgresStore(config) : openSqliteStore(config);
}
