/** Options every adapter takes. */
export interface CommonStoreOptions {
  /**
   * The 32-byte key that encrypts device keys at rest. Takes precedence over `secretKeyFile`.
   */
  readonly secretKey?: Buffer;
  /** A file holding the key (base64); created with 0600 permissions when missing. Default: `<dataDir>/storage.key`. */
  readonly secretKeyFile?: string;
  /** Retention defaults for {@link Store.prune}: 30 days, 1,000 rows per transaction. */
  readonly retention?: { readonly maxAgeMs?: number; readonly batchSize?: number };
}

/** The SQLite adapter (the default): one file under a data directory. */
export interface SqliteStoreOptions extends CommonStoreOptions {
  readonly dataDir: string;
  /** The database file's name inside `dataDir`; `vigil.db` by default. */
  readonly fileName?: string;
}

/** The PostgreSQL adapter. */
export interface PostgresStoreOptions extends CommonStoreOptions {
  readonly url: string;
  /** Schema for Vigil's tables (created when missing); `public` by default. */
  readonly schema?: string;
  /** Pool size; 10 by default. */
  readonly poolSize?: number;
  /** Where the default key file lives (PostgreSQL itself needs no directory). */
  readonly dataDir?: string;
}

/** Store configuration: the adapter is chosen here (`sqlite` unless `postgres` is named). */
export type StoreConfig =
  | ({ readonly adapter?: 'sqlite' } & SqliteStoreOptions)
  | ({ readonly adapter: 'postgres' } & PostgresStoreOptions);
