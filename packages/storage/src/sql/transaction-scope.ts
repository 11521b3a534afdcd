import { StorageError } from '../errors/index.js';
import type { SqlExecutor, SqlSession, SqlValue } from './database.js';
import { Mutex } from './mutex.js';

/** A {@link SqlSession} bound to one open transaction, and the switch that retires it. */
export interface TransactionScope {
  readonly session: SqlSession;
  /** Refuses every later call (the transaction has committed or rolled back). */
  end(): void;
}

/**
 * Binds a session to the open transaction `tx` (a unit of work): every statement joins it, and a
 * `transaction` inside becomes a SAVEPOINT, so a repository call that is atomic on its own stays
 * atomic inside the unit (its failure rolls back its own statements only) while the whole unit still
 * commits once, with one fsync. Both engines speak the same SAVEPOINT SQL.
 *
 * Nested transactions of one scope run one after another (a FIFO lock): on SQLite the statements of
 * siblings started together would otherwise interleave, and rolling one back would undo the other's.
 * Inside a nested transaction use the handle it was given, not the outer one.
 */
export function openTransactionScope(
  database: Pick<SqlSession, 'dialect' | 'forUpdate'>,
  tx: SqlExecutor,
  depth = 0,
): TransactionScope {
  let ended = false;
  const nested = new Mutex();
  const check = (): void => {
    if (ended) {
      throw new StorageError(
        'TRANSACTION_ENDED',
        'this unit of work has already committed or rolled back; use the store, or a new unit of work',
      );
    }
  };
  const session: SqlSession = {
    dialect: database.dialect,
    forUpdate: database.forUpdate,
    async all<Row>(sql: string, params?: readonly SqlValue[]) {
      check();
      return tx.all<Row>(sql, params);
    },
    async get<Row>(sql: string, params?: readonly SqlValue[]) {
      check();
      return tx.get<Row>(sql, params);
    },
    async run(sql: string, params?: readonly SqlValue[]) {
      check();
      return tx.run(sql, params);
    },
    async transaction<T>(work: (inner: SqlExecutor) => Promise<T>): Promise<T> {
      check();
      if (!nested.tryLock()) await nested.lock();
      const child = openTransactionScope(database, tx, depth + 1);
      // Savepoint names need only be unique among the open ones, which nest strictly.
      const name = `vigil_sp_${depth + 1}`;
      try {
        check();
        await tx.run(`SAVEPOINT ${name}`);
        let result: T;
        try {
          result = await work(child.session);
        } catch (error) {
          child.end();
          await tx.run(`ROLLBACK TO SAVEPOINT ${name}`);
          await tx.run(`RELEASE SAVEPOINT ${name}`);
          throw error;
        }
        child.end();
        await tx.run(`RELEASE SAVEPOINT ${name}`);
        return result;
      } finally {
        child.end();
        nested.unlock();
      }
    },
  };
  return {
    session,
    end() {
      ended = true;
    },
  };
}
