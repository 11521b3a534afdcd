/**
 * `npm run bench`: runs every benchmark script under `bench/` in turn. Benchmarks are not tests: they
 * report figures (as ratios against a peer measured in the same run), they assert nothing.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

for (const script of scripts) {
  process.stdout.write(`\n## ${script}\n`);
  await import(pathToFileURL(join(here, script)).href);
}
