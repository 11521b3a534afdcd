/**
 * Vitest global setup: gives the PostgreSQL tests a server. Uses `VIGIL_TEST_POSTGRES_URL` when set;
 * otherwise starts a throw-away cluster from Debian's binaries and removes it at teardown. Without
 * binaries the tests learn why (`missing`): they fail under `CI=true` and are skipped otherwise.
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startPostgresCluster } from './postgres-cluster.js';

/** What the setup provides to tests as `inject('vigilPostgres')`. */
export interface ProvidedPostgres {
  readonly url: string | null;
  readonly missing: string | null;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const preset = process.env.VIGIL_TEST_POSTGRES_URL;
  if (preset) {
    project.provide('vigilPostgres', { url: preset, missing: null } satisfies ProvidedPostgres);
    return undefined;
  }
  const binaries = findPostgresBinaries();
  if (!binaries) {
    const missing =
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; run `bash scripts/install-system-deps.sh` ' +
      'or set VIGIL_TEST_POSTGRES_URL';
    process.stdout.write(
      `\nnote: ${missing}; the PostgreSQL tests ${process.env.CI === 'true' ? 'will FAIL (CI=true)' : 'are skipped'}\n`,
    );
    project.provide('vigilPostgres', { url: null, missing } satisfies ProvidedPostgres);
    return undefined;
  }
  const cluster = await startPostgresCluster(binaries);
  project.provide('vigilPostgres', { url: cluster.url, missing: null } satisfies ProvidedPostgres);
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    vigilPostgres: { readonly url: string | null; readonly missing: string | null };
  }
}
