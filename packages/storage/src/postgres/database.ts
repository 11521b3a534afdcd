import pg from 'pg';
import { StorageError } from '../errors/index.js';
import type { SqlDatabase, SqlExecutor, SqlValue, TransactionOptions } from '../sql/index.js';

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Options for {@link openPostgresDatabase}. */
export interface PostgresDatabaseOptions {
  readonly url: string;
  /** The schema Vigil's tables live in (created when missing); `public` by default. */
  readonly schema: string;
  /** Connections in the pool. */
  readonly poolSize: number;
}

/**
 * Opens a pool to PostgreSQL. Every connection uses the configured schema and
 * `synchronous_commit = on`, so a COMMIT returns only after the WAL is flushed on the server.
 */
export function openPostgresDatabase(options: PostgresDatabaseOptions): PostgresDatabase {
  if (!SCHEMA_NAME.test(options.schema)) {
    throw new StorageError(
      'INVALID_OPTIONS',
      `postgres schema must match ${String(SCHEMA_NAME)}, got "${options.schema}"`,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    options: `-c search_path=${options.schema} -c synchronous_commit=on`,
    // Timestamps and ids are BIGINT; they stay far below 2^53, so numbers are exact.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : (pg.types.getTypeParser(oid, format) as (
              value: string,
            ) => unknown)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return new PostgresDatabase(pool, options.schema);
}

const placeholderCache = new Map<string, string>();

/** Rewrites `?` placeholders to `$1…$n` (Vigil's SQL never has a literal `?`). */
export function toPostgresPlaceholders(sql: string): string {
  let converted = placeholderCache.get(sql);
  if (converted === undefined) {
    let n = 0;
    converted = sql.replace(/\?/g, () => `$${++n}`);
    if (placeholderCache.size < 1_000) placeholderCache.set(sql, converted);
  }
  return converted;
}

/** The PostgreSQL {@link SqlDatabase} over a `pg` pool. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly forUpdate = ' FOR UPDATE';
  readonly pool: pg.Pool;
  readonly schema: string;
  #closed = false;

  constructor(pool: pg.Pool, schema: string) {
    this.pool = pool;
    this.schema = schema;
  }

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return query<Row>(this.#pool(), sql, params);
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await query<Row>(this.#pool(), sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await rawQuery(this.#pool(), sql, params)).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await connect(this.#pool());
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // SET LOCAL ends with the transaction: the connection goes back to the pool with `on`.
      if (options.durable === false) await client.query('SET LOCAL synchronous_commit = off');
      try {
        const result = await work(executorFor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      }
    } finally {
      // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  #pool(): pg.Pool {
    if (this.#closed) throw new StorageError('CLOSED', 'the store is closed');
    return this.pool;
  }
}

type Queryable = pg.Pool | pg.PoolClient;

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw translatePostgresError(error, 'connect');
  }
}

function executorFor(client: pg.PoolClient): SqlExecutor {
  return {
    all: <Row>(sql: string, params: readonly SqlValue[] = []) => query<Row>(client, sql, params),
    get: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await query<Row>(client, sql, params))[0],
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await rawQuery(client, sql, params)).rowCount ?? 0,
  };
}

async function query<Row>(target: Queryable, sql: string, params: readonly SqlValue[]): Promise<Row[]> {
  return (await rawQuery(target, sql, params)).rows as Row[];
}

async function rawQuery(
  target: Queryable,
  sql: string,
  params: readonly SqlValue[],
): Promise<pg.QueryResult> {
  try {
    return await target.query(toPostgresPlaceholders(sql), params as SqlValue[]);
  } catch (error) {
    throw translatePostgresError(error, sql);
  }
}

/** Maps a `pg` error to a {@link StorageError} (unique violations become `ALREADY_EXISTS`). */
export function translatePostgresError(error: unknown, sql: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === '23505')
    return new StorageError('ALREADY_EXISTS', `already exists (${message})`, { cause: error });
  return new StorageError('DATABASE_ERROR', `PostgreSQL: ${message} [${sql.slice(0, 80)}]`, { cause: error });
}
