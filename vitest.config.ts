import { defineConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources in tests (see each package's `exports`). */
const sourceConditions = ['@vigil/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  // Vitest hands ssr.resolve.conditions to the worker's Node as --conditions flags, which also steer
  // CommonJS require(): with `import` there, pg's require('pg-pool') gets the ESM build and fails.
  ssr: { resolve: { conditions: ['@vigil/source', 'node'], externalConditions: ['@vigil/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    reporters: ['default', './test/summary-reporter.ts'],
    globalSetup: ['./test/global-setup/postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
