/**
 * Test helper: the official module twin schema (`azureiotsecurity_schema.json` with its definitions
 * file, read from the reference folder beside the repository, never copied into Vigil) compiled with
 * Ajv, as the oracle the twin reader must agree with.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

/** The repository root is four levels above `packages/protocol/src/twin-config/`. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');

/** Where the official schemas live: `../shared/reference/azure-iot-security-schemas/` from the repo root. */
export const TWIN_SCHEMA_DIR = resolve(REPO_ROOT, '..', 'shared', 'reference', 'azure-iot-security-schemas');

/** The official files the oracle needs, parsed. */
export interface OfficialTwinSchemas {
  /** Validates `{ desired: … }` documents. */
  readonly validate: ValidateFunction;
  readonly schema: Record<string, unknown>;
  readonly definitions: Record<string, unknown>;
  /** `azureiotsecurity_default.json`. */
  readonly defaultTwin: Record<string, unknown>;
}

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(TWIN_SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;

/** Compiles the official twin schema; null when the reference folder is absent. */
export function loadOfficialTwinSchemas(): OfficialTwinSchemas | null {
  if (!existsSync(join(TWIN_SCHEMA_DIR, 'azureiotsecurity_schema.json'))) return null;
  const schema = readJson('azureiotsecurity_schema.json');
  const definitions = readJson('azureiotsecurity_schema_definitions.json');
  // strict: false because the vendor puts `default` beside `$ref` (ignored in draft-07);
  // strictNumbers so Infinity is not an integer, as in JSON it cannot be one.
  const ajv = new Ajv({ strict: false, strictNumbers: true, allErrors: true });
  ajv.addSchema(definitions);
  const validate = ajv.compile(schema);
  return { validate, schema, definitions, defaultTwin: readJson('azureiotsecurity_default.json') };
}
