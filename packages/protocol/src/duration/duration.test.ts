import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors/index.js';
import { SCHEMA_DURATION_REGEXP } from './__fixtures__/schema-pattern.js';
import {
  DAY_MS,
  HOUR_MS,
  MAX_DURATION_MS,
  MINUTE_MS,
  formatDuration,
  isDuration,
  parseDuration,
  tryParseDuration,
} from './index.js';

/** Texts the twin schema accepts (reference/azure-security-module.md §2.5) and their milliseconds. */
const ACCEPTED: readonly (readonly [string, number])[] = [
  ['PT7M', 7 * MINUTE_MS],
  ['PT5H', 5 * HOUR_MS],
  ['PT13H', 13 * HOUR_MS],
  ['PT1H', HOUR_MS],
  ['PT2M', 2 * MINUTE_MS],
  ['PT30S', 30_000],
  ['PT0S', 0],
  ['P0D', 0],
  ['P1D', DAY_MS],
  ['P1W', 7 * DAY_MS],
  ['P1M', 30 * DAY_MS],
  ['P1Y', 365 * DAY_MS],
  ['P1Y2M3W4DT5H6M7S', (365 + 60 + 21 + 4) * DAY_MS + 5 * HOUR_MS + 6 * MINUTE_MS + 7_000],
  ['P1DT12H', DAY_MS + 12 * HOUR_MS],
  ['PT36H', 36 * HOUR_MS],
  ['PT90M', 90 * MINUTE_MS],
  ['PT1.5S', 1_500],
  ['PT0.001S', 1],
  ['PT0.0005S', 1],
  ['PT0.0004999S', 0],
  ['PT1.5H', 90 * MINUTE_MS],
  ['PT0.5M', 30_000],
  ['P1.5D', 36 * HOUR_MS],
  ['P0.5Y', 182.5 * DAY_MS],
  ['P1DT1.25S', DAY_MS + 1_250],
  ['PT007M', 7 * MINUTE_MS],
  ['PT1H0M0S', HOUR_MS],
  ['P36500D', MAX_DURATION_MS],
  ['P100Y', MAX_DURATION_MS],
];

/** Texts the schema or Vigil rejects, with the words the error must contain. */
const REJECTED: readonly (readonly [string, string])[] = [
  ['', 'empty'],
  ['P', '"P" alone'],
  ['PT', '"T" must be followed'],
  ['P1DT', '"T" must be followed by a time component (nH, nM or nS), found nothing'],
  ['-PT5M', 'negative'],
  ['P-1D', 'a sign'],
  ['PT-5M', 'followed by a time component (nH, nM or nS), found "-"'],
  ['PT5m', 'upper-case'],
  ['pt5M', 'must start with "P"'],
  ['5M', 'must start with "P"'],
  ['00:05:00', 'must start with "P"'],
  ['PT5', 'no designator'],
  ['P5H', '"H" must come after "T"'],
  ['PT1D', '"D" must come before "T"'],
  ['P1D1Y', 'out of order'],
  ['PT1S1M', 'out of order'],
  ['PT1M1M', 'repeated'],
  ['PT1HT1M', '"T" appears twice'],
  ['PT1.5H30M', 'only the last component'],
  ['P1.5DT1H', 'only the last component'],
  ['PT.5S', 'found "."'],
  ['PT1.S', 'followed by digits'],
  ['PT1,5S', 'comma'],
  ['PT 5M', 'found " "'],
  ['PT5M ', 'expected a number'],
  ['P1X', 'not a designator'],
  ['P36500DT0.001S', 'longest duration'],
  ['P101Y', 'longest duration'],
  ['P99999W1X', 'not a designator'],
  ['PT99999999999999999999999999S', 'longest duration'],
];

describe('parseDuration', () => {
  it.each(ACCEPTED)('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(isDuration(text)).toBe(true);
  });

  it.each(REJECTED)('rejects %j, saying %s', (text, words) => {
    expect(() => parseDuration(text)).toThrowError(words);
    expect(isDuration(text)).toBe(false);
    try {
      parseDuration(text);
    } catch (error) {
      expect(isProtocolError(error, 'MALFORMED_DURATION')).toBe(true);
    }
  });

  it('accepts exactly what the schema pattern accepts, within the 100-year bound', () => {
    const inRange = ACCEPTED.map(([text]) => text);
    for (const text of inRange) expect(SCHEMA_DURATION_REGEXP.test(text), text).toBe(true);
    for (const [text] of REJECTED) {
      const result = tryParseDuration(text);
      expect(result.ok).toBe(false);
      // Out-of-range texts are well-formed: the schema has no upper bound, Vigil does.
      const expected = !result.ok && result.reason === 'out-of-range';
      expect(SCHEMA_DURATION_REGEXP.test(text), text).toBe(expected);
    }
  });

  it('agrees with the schema pattern on short texts over the duration alphabet', () => {
    const text = fc.string({ unit: fc.constantFrom(...'PTYMWDHS0123456789.'), maxLength: 10 });
    fc.assert(
      fc.property(text, (s) => {
        const result = tryParseDuration(s);
        const schemaSays = SCHEMA_DURATION_REGEXP.test(s);
        return result.ok ? schemaSays : schemaSays === (result.reason === 'out-of-range');
      }),
      { seed: 2602, numRuns: 20_000 },
    );
  });

  it('rejects a non-string passed from untyped code instead of crashing', () => {
    expect(() => parseDuration(42 as unknown as string)).toThrowError('expected an ISO-8601 duration string');
    expect(isDuration(null)).toBe(false);
  });

  it('keeps hostile input out of the message beyond 40 characters', () => {
    const text = `P${'9'.repeat(5_000)}X`;
    const result = tryParseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(140);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [1, 'PT0.001S'],
    [1_500, 'PT1.5S'],
    [30_000, 'PT30S'],
    [7 * MINUTE_MS, 'PT7M'],
    [HOUR_MS, 'PT1H'],
    [13 * HOUR_MS, 'PT13H'],
    [DAY_MS, 'P1D'],
    [7 * DAY_MS, 'P7D'],
    [DAY_MS + 12 * HOUR_MS + 1_010, 'P1DT12H1.01S'],
    [MAX_DURATION_MS, 'P36500D'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([-1, 0.5, Number.NaN, Infinity, MAX_DURATION_MS + 1])('refuses %d ms', (ms) => {
    expect(() => formatDuration(ms)).toThrowError('cannot be written as a duration');
  });

  it('round-trips every whole millisecond count up to the bound, in text the schema accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (ms) => {
        const text = formatDuration(ms);
        return parseDuration(text) === ms && SCHEMA_DURATION_REGEXP.test(text);
      }),
      { seed: 7, numRuns: 5_000 },
    );
  });

  it('is canonical: any accepted spelling formats to one text that formats to itself', () => {
    for (const [text, ms] of ACCEPTED) {
      const canonical = formatDuration(parseDuration(text));
      expect(parseDuration(canonical)).toBe(ms);
      expect(formatDuration(parseDuration(canonical))).toBe(canonical);
    }
    expect(formatDuration(parseDuration('PT60M'))).toBe('PT1H');
    expect(formatDuration(parseDuration('P1W'))).toBe('P7D');
  });
});
