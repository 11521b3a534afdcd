import { StorageError } from '../errors/index.js';
import type { SqlDatabase, SqlExecutor } from '../sql/index.js';

/** One schema step; versions are consecutive from 1. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Runs first inside the migration transaction (PostgreSQL: take a lock, create the schema). */
  readonly prepare?: (tx: SqlExecutor) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Brings the database up to the newest migration in one transaction and returns the schema version.
 * A database whose version is above the newest one this code knows was written by newer code: it
 * is refused (`SCHEMA_TOO_NEW`) rather than read with assumptions that may no longer hold.
 */
export async function migrate(
  db: SqlDatabase,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<number> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const now = options.now ?? Date.now;
  return db.transaction(async (tx) => {
    await options.prepare?.(tx);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const row = await tx.get<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_version',
    );
    const current = row?.version ?? 0;
    if (current > latest) {
      throw new StorageError(
        'SCHEMA_TOO_NEW',
        `the ${db.dialect} database has schema version ${current}, newer than version ${latest} that this Vigil ` +
          `knows; it was written by a newer Vigil — upgrade Vigil (or restore a backup) instead of downgrading`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.description,
        now(),
      ]);
    }
    return latest;
  });
}

/** Substitutes a dialect's type names for the schema template's tokens. */
export function renderSchema(
  statements: readonly string[],
  types: Readonly<Record<string, string>>,
): string[] {
  return statements.map((statement) =>
    statement.replace(/\{\{(\w+)\}\}/g, (_, token: string) => types[token] ?? `{{${token}}}`),
  );
}
