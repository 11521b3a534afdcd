import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { invalidCases, validCases } from './__fixtures__/corpus.js';
import { createMutator, type Json } from './__fixtures__/mutate.js';
import { JSON_EVENT_CATALOGUE, VIGIL_SECURITY_MESSAGE_SCHEMA, validateSecurityMessage } from './index.js';

// Ajv in strict mode: Vigil's own schema must use no keyword a draft does not define.
const ajv = new Ajv({ strict: true, allErrors: true, strictNumbers: true });
formats.default(ajv);
const vigil = ajv.compile(VIGIL_SECURITY_MESSAGE_SCHEMA);
const strictlyValid = (value: unknown): boolean => validateSecurityMessage(value, { strict: true }).valid;

describe("Vigil's JSON Schema for JSON 1.0 says what the validator does", () => {
  it('accepts every valid corpus message and rejects every invalid one', () => {
    expect(validCases.filter((c) => !vigil(c.message)).map((c) => c.name)).toEqual([]);
    expect(invalidCases.filter((c) => vigil(c.message)).map((c) => c.name)).toEqual([]);
  });

  it('agrees with strict validation on 5,000 mutated messages', () => {
    const { mutate, pick } = createMutator(0x5c4e_3a);
    const seeds = [...validCases, ...invalidCases].map((c) => c.message as Json);
    let accepted = 0;
    const disagreements: Json[] = [];
    for (let n = 0; n < 5_000; n += 1) {
      const input = mutate(pick(seeds));
      const ours = strictlyValid(input);
      if (ours) accepted += 1;
      if (vigil(input) !== ours && disagreements.length < 3) disagreements.push(input);
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(100);
  });

  it('names every event of the catalogue and points at a payload definition for each', () => {
    const definitions = VIGIL_SECURITY_MESSAGE_SCHEMA.definitions as { payload: Record<string, unknown> };
    expect(Object.keys(definitions.payload).sort()).toEqual(Object.keys(JSON_EVENT_CATALOGUE).sort());
    expect(VIGIL_SECURITY_MESSAGE_SCHEMA.$id).toBe('urn:vigil:schema:security-message:json-1.0');
  });
});
