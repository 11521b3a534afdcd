/**
 * Test helper: the official module twin schema (`azureiotsecurity_schema.json` with its definitions
 * file, read from the reference folder beside the repository, never copied into Vigil) compiled with
 * Ajv, as the oracle the twin reader must agree with.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = formats.default;

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
  /** Validates a whole JSON 1.0 security message (`messageRoot.json` and the `message*.json` it refers to). */
  readonly validateMessage: ValidateFunction;
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
  // The message schemas use a keyword no draft defines (`"boolean": ["false"]`), hence strict: false.
  const messages = new Ajv({ strict: false, strictNumbers: true, allErrors: true });
  addFormats(messages);
  for (const file of readdirSync(TWIN_SCHEMA_DIR).filter((f) => /^message.*\.json$/.test(f))) {
    messages.addSchema(readJson(file));
  }
  const validateMessage = messages.getSchema('messageRoot.json');
  if (validateMessage === undefined) throw new Error('messageRoot.json did not compile');
  return {
    validate,
    schema,
    definitions,
    defaultTwin: readJson('azureiotsecurity_default.json'),
    validateMessage,
  };
}
