/**
 * The small SQL surface the shared repositories use, so one implementation serves SQLite and
 * PostgreSQL. SQL is written with `?` placeholders (the PostgreSQL adapter rewrites them to `$n`);
 * every value goes in as a parameter, never into the text.
 */

/** A scalar statement parameter. */
export type SqlScalar = string | number | Buffer | null;

/** A value a statement parameter may take; arrays only where the SQL casts them (PostgreSQL `unnest`). */
export type SqlValue = SqlScalar | readonly SqlScalar[];

/** Runs statements; inside a transaction this is the transaction. */
export interface SqlExecutor {
  /** Every row the statement returns. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row, or undefined. */
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** Which SQL engine is underneath; repositories use it for the few places the dialects differ. */
export type SqlDialect = 'sqlite' | 'postgres';

/** How a transaction commits. */
export interface TransactionOptions {
  /**
   * `false` for derived data that can be rebuilt from what is durable: the commit does not wait for
   * the disk (SQLite `synchronous=NORMAL`, PostgreSQL `synchronous_commit=off`, for this transaction
   * only). A process crash loses nothing; a power failure may lose the newest such transactions,
   * each whole. Default `true`. Ignored by a nested transaction (a savepoint).
   */
  readonly durable?: boolean;
}

/**
 * What the repositories run on: a whole database, or a scope inside one open transaction (a unit of
 * work, see `transaction-scope.ts`), where `transaction` is a savepoint of the enclosing one.
 */
export interface SqlSession extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** `SELECT … FOR UPDATE` where the engine has row locks (PostgreSQL); empty on SQLite, whose write transactions are exclusive. */
  readonly forUpdate: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** A connection (or pool) to one database. */
export interface SqlDatabase extends SqlSession {
  close(): Promise<void>;
}
