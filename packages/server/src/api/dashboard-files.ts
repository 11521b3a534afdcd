import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Where the built dashboard is: `dist/` of the `@vigil/dashboard` package, or undefined when absent. */
export function findDashboardDirectory(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@vigil/dashboard/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}

/**
 * Serves the dashboard's built files (public: the page itself holds no data; every API call needs a
 * token). Paths are confined to the directory; unknown non-API paths get `index.html` so the app's
 * own routes load. When the dashboard was not built, `/` says how to build it.
 */
export function registerDashboardFiles(app: FastifyInstance, directory: string | undefined): void {
  const root = directory === undefined ? undefined : normalize(directory + sep);
  app.get('/*', { config: { public: true } }, async (request, reply) => {
    const path = decodeURIComponent((request.params as { '*': string })['*']);
    if (path.startsWith('api/')) {
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: `no route GET /${path}`, details: [] } });
    }
    if (root === undefined || !(await exists(join(root, 'index.html')))) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard has not been built. Run `npm run build` in the Vigil checkout, then reload.');
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root) || !(await exists(file))) file = join(root, 'index.html');
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const immutable = file.includes(`${sep}assets${sep}`);
    return reply
      .type(type)
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(await readFile(file));
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
