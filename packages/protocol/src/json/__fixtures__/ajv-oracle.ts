/**
 * Test helper: the official JSON 1.0 schemas (the vendor's files, read from
 * `/work/shared/reference/azure-iot-security-schemas/`, never copied into Vigil) compiled with Ajv,
 * as the oracle the hand-written validator must agree with.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = formats.default;

/** Repo root is four levels above `packages/protocol/src/json/`; the schemas sit beside the repo. */
export const OFFICIAL_SCHEMA_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'reference',
  'azure-iot-security-schemas',
);

/**
 * Compiles `messageRoot.json` with every `message*.json` registered under its `$id` (they refer to
 * each other by file name, e.g. `messageEventTypeDefinitions_v1_0.json#/ip`). Null when absent.
 */
export function loadOfficialValidator(): ValidateFunction | null {
  if (!existsSync(join(OFFICIAL_SCHEMA_DIR, 'messageRoot.json'))) return null;
  // strict: false because the vendor's schemas use a keyword no draft defines (`"boolean": ["false"]`);
  // strictNumbers because Vigil rejects the Infinity that JSON.parse makes of 1e400.
  const ajv = new Ajv({ strict: false, allErrors: true, strictNumbers: true });
  addFormats(ajv);
  for (const file of readdirSync(OFFICIAL_SCHEMA_DIR).filter((f) => /^message.*\.json$/.test(f))) {
    ajv.addSchema(JSON.parse(readFileSync(join(OFFICIAL_SCHEMA_DIR, file), 'utf8')) as object);
  }
  const root = ajv.getSchema('messageRoot.json');
  if (root === undefined) throw new Error('messageRoot.json did not compile');
  return root;
}
