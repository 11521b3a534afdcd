import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors/index.js';
import { SCHEMA_DURATION_REGEXP } from './__fixtures__/schema-pattern.js';
import { MAX_DURATION_MS, formatDuration, parseDuration, tryParseDuration } from './index.js';

/** mulberry32: a tiny seeded PRNG, so every run sees the same inputs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEEDS = ['PT7M', 'PT5H', 'P1Y2M3W4DT5H6M7.5S', 'P1.5D', 'PT0.001S', 'P36500D', 'PT1H30M', 'P0D'];
// Durations' own characters, look-alikes (Arabic-Indic and full-width digits, comma, minus sign),
// whitespace, NUL and characters outside the BMP.
const ALPHABET = [...'PTYMWDHS0123456789.,-+ pt', '٣', '５', '\u2212', '\u0000', '\t', '\n', '😀', 'É'];

function mutate(text: string, random: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(random() * (chars.length + 1));
    const char = ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'P';
    const op = random();
    if (op < 0.35) chars.splice(at, 0, char);
    else if (op < 0.6) chars.splice(at, 1);
    else if (op < 0.85) chars[Math.min(at, chars.length - 1)] = char;
    else chars.splice(at, 0, '9'.repeat(1 + Math.floor(random() * 30)));
  }
  return chars.join('');
}

function input(random: () => number): string {
  if (random() < 0.75) return mutate(SEEDS[Math.floor(random() * SEEDS.length)] ?? 'PT1S', random);
  const length = Math.floor(random() * 16);
  let text = random() < 0.5 ? 'P' : '';
  for (let i = 0; i < length; i += 1) text += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '';
  return text;
}

describe('parseDuration under 100,000 mutated and random texts', () => {
  it('returns a bounded whole number or throws MALFORMED_DURATION, agreeing with the schema pattern', () => {
    const random = prng(0x2d0a7);
    let accepted = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const text = input(random);
      let ms: number | undefined;
      try {
        ms = parseDuration(text);
      } catch (error) {
        if (!isProtocolError(error, 'MALFORMED_DURATION')) throw error;
      }
      const result = tryParseDuration(text);
      const schemaSays = SCHEMA_DURATION_REGEXP.test(text);
      if (ms === undefined) {
        if (result.ok || schemaSays !== (result.reason === 'out-of-range'))
          expect.fail(`disagreement on ${JSON.stringify(text)}`);
        continue;
      }
      accepted += 1;
      if (
        !schemaSays ||
        !Number.isSafeInteger(ms) ||
        ms < 0 ||
        ms > MAX_DURATION_MS ||
        parseDuration(formatDuration(ms)) !== ms
      ) {
        expect.fail(`bad acceptance of ${JSON.stringify(text)} as ${ms}`);
      }
    }
    // Both outcomes must be well represented for the run to mean anything.
    expect(accepted).toBeGreaterThan(5_000);
    expect(accepted).toBeLessThan(90_000);
  });
});
