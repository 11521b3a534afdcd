import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The dashboard package's folder. */
export const DASHBOARD_ROOT = fileURLToPath(new URL('../../packages/dashboard/', import.meta.url));

/** Builds the dashboard into its `dist/` with its own Vite config (what `npm run build` does). */
export async function buildDashboard(): Promise<string> {
  await build({ configFile: `${DASHBOARD_ROOT}vite.config.ts`, root: DASHBOARD_ROOT, logLevel: 'error' });
  return `${DASHBOARD_ROOT}dist`;
}
