import { describe, expect, it } from 'vitest';
import { loadOfficialValidator, OFFICIAL_SCHEMA_DIR } from './__fixtures__/ajv-oracle.js';
import { invalidCases, validCases } from './__fixtures__/corpus.js';
import { validateSecurityMessage } from './index.js';

const official = loadOfficialValidator();
if (official === null) {
  if (process.env.CI === 'true')
    throw new Error(`official JSON 1.0 schemas missing at ${OFFICIAL_SCHEMA_DIR}`);
  console.warn(`oracle tests skipped: official JSON 1.0 schemas not found at ${OFFICIAL_SCHEMA_DIR}`);
}

describe.skipIf(official === null)('strict validation agrees with the official schemas (Ajv oracle)', () => {
  const ajv = official!;

  it('has a corpus large enough to mean something', () => {
    expect(validCases.length).toBeGreaterThanOrEqual(40);
    expect(invalidCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(validCases.map((c) => [c.name, c.message] as const))('accepts: %s', (_name, message) => {
    expect(ajv(message), JSON.stringify(ajv.errors)).toBe(true);
    expect(validateSecurityMessage(message, { strict: true })).toEqual({
      valid: true,
      errors: [],
      warnings: [],
    });
  });

  it.each(invalidCases.map((c) => [c.name, c.message, c.paths] as const))(
    'rejects: %s',
    (_name, message, paths) => {
      expect(ajv(message)).toBe(false);
      const result = validateSecurityMessage(message, { strict: true });
      expect(result.valid).toBe(false);
      const reported = result.errors.map((e) => e.path);
      for (const path of paths) expect(reported).toContain(path);
      for (const error of result.errors) expect(error.message.length).toBeGreaterThan(5);
    },
  );
});
