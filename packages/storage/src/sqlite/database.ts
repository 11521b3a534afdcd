import BetterSqlite3 from 'better-sqlite3';
import { StorageError } from '../errors/index.js';
import {
  Mutex,
  type SqlDatabase,
  type SqlExecutor,
  type SqlValue,
  type TransactionOptions,
} from '../sql/index.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens one SQLite file in WAL mode with `synchronous=FULL`: every commit fsyncs the WAL before it
 * returns, so a committed transaction survives SIGKILL and power loss alike (NORMAL would only
 * survive the former: the WAL tail may be lost on power failure until the next checkpoint).
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file);
    // 16 KiB pages (effective only when the file is created): fewer WAL frames per 1 KiB record group.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new StorageError('DATABASE_ERROR', `cannot open SQLite database ${file}: ${String(error)}`, {
      cause: error,
    });
  }
  return new SqliteDatabase(db);
}

/** The SQLite {@link SqlDatabase}: one connection, statements cached, callers serialised by a lock. */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  readonly #db: BetterSqlite3.Database;
  readonly #mutex = new Mutex();
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  readonly #direct: SqlExecutor;
  #closed = false;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#direct = {
      all: (sql, params) => Promise.resolve(this.allSync(sql, params)),
      get: (sql, params) => Promise.resolve(this.getSync(sql, params)),
      run: (sql, params) => Promise.resolve(this.runSync(sql, params)),
    };
  }

  /** Runs a synchronous unit of work under the lock (the ingest writer's fast path). */
  async exclusive<T>(work: () => T): Promise<T> {
    if (!this.#mutex.tryLock()) await this.#mutex.lock();
    try {
      this.#assertOpen();
      return work();
    } finally {
      this.#mutex.unlock();
    }
  }

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.exclusive(() => this.allSync<Row>(sql, params));
  }

  get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.exclusive(() => this.getSync<Row>(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.exclusive(() => this.runSync(sql, params));
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (!this.#mutex.tryLock()) await this.#mutex.lock();
    // Only this transaction's COMMIT skips the fsync: it holds the one connection until the setting
    // is back. The WAL stays in order, so the next durable commit's fsync covers this one's frames.
    const relaxed = options.durable === false;
    try {
      this.#assertOpen();
      if (relaxed) this.#db.pragma('synchronous = NORMAL');
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.#direct);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      if (relaxed && !this.#closed) this.#db.pragma('synchronous = FULL');
      this.#mutex.unlock();
    }
  }

  /** Runs `work` synchronously inside one transaction; only call while holding the lock (see {@link exclusive}). */
  transactionSync<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }

  allSync<Row>(sql: string, params: readonly SqlValue[] = []): Row[] {
    return this.#wrap(sql, () => this.#prepare(sql).all(...params) as Row[]);
  }

  getSync<Row>(sql: string, params: readonly SqlValue[] = []): Row | undefined {
    return this.#wrap(sql, () => this.#prepare(sql).get(...params) as Row | undefined);
  }

  runSync(sql: string, params: readonly SqlValue[] = []): number {
    return this.#wrap(sql, () => this.#prepare(sql).run(...params).changes);
  }

  /** Executes DDL (migrations); no parameters. */
  execSync(sql: string): void {
    this.#db.exec(sql);
  }

  async close(): Promise<void> {
    await this.#mutex.lock();
    try {
      if (this.#closed) return;
      this.#closed = true;
      this.#statements.clear();
      this.#db.close();
    } finally {
      this.#mutex.unlock();
    }
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      // A bounded cache: repositories use a fixed set of statements, so eviction is rare.
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next();
        if (!oldest.done) this.#statements.delete(oldest.value);
      }
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #wrap<T>(sql: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateSqliteError(error, sql);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('CLOSED', 'the store is closed');
  }
}

function translateSqliteError(error: unknown, sql: string): StorageError {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new StorageError('ALREADY_EXISTS', `already exists (${String((error as Error).message)})`, {
      cause: error,
    });
  }
  if (error instanceof StorageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError('DATABASE_ERROR', `SQLite: ${message} [${sql.slice(0, 80)}]`, { cause: error });
}
