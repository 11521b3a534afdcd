/**
 * Test support (never imported by production code): the PostgreSQL server the Vitest global setup
 * (`test/global-setup/postgres.ts`) provides, and a fresh schema name per suite or test.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    vigilPostgres: { readonly url: string | null; readonly missing: string | null };
  }
}

/** How the PostgreSQL tests should run: against `url`, skipped, or failed because CI needs them. */
export type PostgresAvailability =
  | { readonly mode: 'run'; readonly url: string }
  | { readonly mode: 'skip'; readonly reason: string }
  | { readonly mode: 'fail'; readonly reason: string };

/** Reads what the global setup provided; under `CI=true` a missing server is a failure, not a skip. */
export function postgresForTests(): PostgresAvailability {
  const provided = inject('vigilPostgres') as { url: string | null; missing: string | null } | undefined;
  if (provided?.url) return { mode: 'run', url: provided.url };
  const reason =
    provided?.missing ?? 'no PostgreSQL was provided (is test/global-setup/postgres.ts in vitest.config.ts?)';
  return process.env.CI === 'true' ? { mode: 'fail', reason } : { mode: 'skip', reason };
}

/** A unique schema name, so concurrent test files and runs never share tables. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
