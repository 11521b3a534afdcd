import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/index.js';
import { loadOfficialValidator } from './__fixtures__/ajv-oracle.js';
import { invalidCases, validCases } from './__fixtures__/corpus.js';
import { createMutator, type Json } from './__fixtures__/mutate.js';
import { decodeJsonSecurityMessage, parseJsonSecurityMessage, validateSecurityMessage } from './index.js';

const { randomValue, mutate, mutateBytes, pick } = createMutator(0x5eed_1001);

const seeds = [...validCases, ...invalidCases].map((c) => c.message as Json);
const official = loadOfficialValidator();

/** Runs `action`; returns the thrown value unless it is a ProtocolError. */
function foreignThrow(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (thrown) {
    return thrown instanceof ProtocolError ? undefined : thrown;
  }
}

describe('randomized inputs (seeded)', () => {
  it('100,000 mutated values: validate never throws, decode throws only ProtocolError, and both agree with Ajv', () => {
    const disagreements: { input: Json; ours: boolean; ajv: boolean }[] = [];
    let foreign: unknown;
    let valid = 0;
    for (let n = 0; n < 100_000; n += 1) {
      const input = n % 50 === 0 ? randomValue() : mutate(pick(seeds));
      const strict = validateSecurityMessage(input, { strict: true });
      if (strict.valid) valid += 1;
      // decode validates leniently inside, so every input goes through that path too.
      const decoded = (() => {
        try {
          decodeJsonSecurityMessage(input);
          return true;
        } catch (thrown) {
          if (!(thrown instanceof ProtocolError)) foreign ??= thrown;
          return false;
        }
      })();
      if (strict.valid && !decoded) disagreements.push({ input, ours: true, ajv: false });
      if (n % 4 === 0 && decoded !== validateSecurityMessage(input).valid)
        disagreements.push({ input, ours: !decoded, ajv: decoded });
      if (official !== null && n % 25 === 0) {
        const ajv = official(input);
        if (ajv !== strict.valid && disagreements.length < 5)
          disagreements.push({ input, ours: strict.valid, ajv });
      }
    }
    expect(foreign).toBeUndefined();
    expect(disagreements.slice(0, 3)).toEqual([]);
    // The mutants must reach both sides of the schema, or this test proves little.
    expect(valid).toBeGreaterThan(1_000);
    expect(valid).toBeLessThan(95_000);
  });

  it('100,000 damaged byte strings: parse throws only ProtocolError', () => {
    const texts = seeds.map((s) => JSON.stringify(s));
    let foreign: unknown;
    const codes = new Map<string, number>();
    for (let n = 0; n < 100_000; n += 1) {
      const bytes = mutateBytes(pick(texts));
      try {
        parseJsonSecurityMessage(bytes);
        codes.set('ok', (codes.get('ok') ?? 0) + 1);
      } catch (thrown) {
        if (thrown instanceof ProtocolError) codes.set(thrown.code, (codes.get(thrown.code) ?? 0) + 1);
        else foreign ??= thrown;
      }
    }
    expect(foreign).toBeUndefined();
    expect([...codes.keys()].sort()).toEqual(['INVALID_SECURITY_MESSAGE', 'MALFORMED_JSON', 'ok']);
    expect(foreignThrow(() => parseJsonSecurityMessage(new Uint8Array(262_145)))).toBeUndefined();
  });
});
