/**
 * ISO-8601 durations exactly as the security module twin schema accepts them
 * (reference/azure-security-module.md §2.5; SCHEMAS `azureiotsecurity_schema_definitions.json`
 * `TimeConfiguration.value.pattern`): `P[nY][nM][nW][nD][T[nH][nM][nS]]`, components in that order,
 * at least one of them, at least one after a `T`, a decimal fraction (`.`, not `,`) only on the last
 * component, no sign.
 */
import { ProtocolError } from '../errors/index.js';
import { DATE_UNITS, MAX_DURATION_MS, TIME_UNITS, type DurationUnit } from './units.js';

/** Why a text is not an acceptable duration. */
export type DurationRejection = 'malformed' | 'out-of-range';

/** The outcome of {@link tryParseDuration}: milliseconds, or why not in words. */
export type DurationParseResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly reason: DurationRejection; readonly message: string };

const CHAR_0 = 48;
const CHAR_9 = 57;
const isDigit = (code: number): boolean => code >= CHAR_0 && code <= CHAR_9;

/** Quotes untrusted text for an error message, cut so hostile input cannot bloat it. */
function quoteDurationText(text: string): string {
  return text.length > 40 ? `${JSON.stringify(text.slice(0, 40))}…` : JSON.stringify(text);
}

function reject(reason: DurationRejection, text: string, why: string): DurationParseResult {
  return { ok: false, reason, message: `${quoteDurationText(text)} is not an ISO-8601 duration: ${why}` };
}

const tooLong = (text: string): DurationParseResult =>
  reject('out-of-range', text, 'it is longer than the longest duration accepted (P36500D, 100 years)');

/** Why `designator` cannot stand where it does, for the error message. */
function misplaced(designator: string, inTime: boolean, units: readonly DurationUnit[]): string {
  if (units.some((u) => u.designator === designator)) {
    return `"${designator}" is repeated or out of order (the order is Y M W D T H M S)`;
  }
  if (!inTime && (designator === 'H' || designator === 'S')) return `"${designator}" must come after "T"`;
  if (inTime && 'YWD'.includes(designator)) return `"${designator}" must come before "T"`;
  if (designator === ',') return 'the decimal separator must be "." (a comma is not accepted)';
  if (/^[a-z]$/.test(designator)) return 'designators must be upper-case';
  return `${JSON.stringify(designator)} is not a designator (Y M W D, then T H M S)`;
}

/** Whole units above this are past the maximum for every unit (the smallest, `S`, is 1000 ms). */
const HUGE = 1e15;

/**
 * Milliseconds of `whole[.fraction]` units: exact integer arithmetic for the fraction, rounded half
 * up to the millisecond. Null when beyond {@link MAX_DURATION_MS}.
 */
function componentMs(whole: number, fracDigits: string, unit: DurationUnit): number | null {
  if (whole > HUGE) return null;
  let ms = whole * unit.ms;
  const fraction = fracDigits.replace(/0+$/, '');
  if (fraction.length > 0) {
    const numerator = BigInt(fraction) * BigInt(unit.ms) * 2n;
    const denominator = 10n ** BigInt(fraction.length) * 2n;
    ms += Number((numerator + denominator / 2n) / denominator);
  }
  return ms > MAX_DURATION_MS ? null : ms;
}

/**
 * Parses an ISO-8601 duration the way the twin schema defines it, returning the outcome instead of
 * throwing. Years count 365 days, months 30, weeks 7 (see `units.ts`).
 */
export function tryParseDuration(text: string): DurationParseResult {
  if (typeof text !== 'string') {
    return {
      ok: false,
      reason: 'malformed',
      message: `expected an ISO-8601 duration string, got ${typeof text}`,
    };
  }
  if (text.length === 0) return reject('malformed', text, 'the text is empty');
  if (text[0] === '-') return reject('malformed', text, 'negative durations are not allowed');
  if (text[0] !== 'P') return reject('malformed', text, 'it must start with "P"');
  if (text.length === 1) return reject('malformed', text, '"P" alone has no components');
  let units = DATE_UNITS;
  let next = 0;
  let inTime = false;
  let total = 0;
  // Range is judged after the whole text is read, so a malformed text is always called malformed.
  let overflow = false;
  let pos = 1;
  while (pos < text.length) {
    if (text[pos] === 'T') {
      if (inTime) return reject('malformed', text, '"T" appears twice');
      inTime = true;
      units = TIME_UNITS;
      next = 0;
      pos += 1;
      if (pos >= text.length || !isDigit(text.charCodeAt(pos))) {
        const found = pos >= text.length ? 'nothing' : JSON.stringify(text[pos]);
        return reject(
          'malformed',
          text,
          `"T" must be followed by a time component (nH, nM or nS), found ${found}`,
        );
      }
      continue;
    }
    const intStart = pos;
    // Accumulated while scanning; once past HUGE the exact value no longer matters.
    let whole = 0;
    for (let code = text.charCodeAt(pos); isDigit(code); code = text.charCodeAt(pos)) {
      if (whole <= HUGE) whole = whole * 10 + (code - CHAR_0);
      pos += 1;
    }
    if (pos === intStart) {
      const found = text[pos] === '-' ? 'a sign' : JSON.stringify(text[pos]);
      return reject('malformed', text, `expected a number at position ${pos}, found ${found}`);
    }
    let fracDigits = '';
    if (text[pos] === '.') {
      const fracStart = pos + 1;
      pos = fracStart;
      while (pos < text.length && isDigit(text.charCodeAt(pos))) pos += 1;
      if (pos === fracStart) return reject('malformed', text, 'a decimal point must be followed by digits');
      fracDigits = text.slice(fracStart, pos);
    }
    if (pos >= text.length) return reject('malformed', text, 'the last number has no designator');
    const designator = text[pos] ?? '';
    let index = next;
    while (index < units.length && units[index]?.designator !== designator) index += 1;
    const unit = units[index];
    if (unit === undefined) return reject('malformed', text, misplaced(designator, inTime, units));
    pos += 1;
    if (fracDigits.length > 0 && pos !== text.length) {
      return reject('malformed', text, 'only the last component may have a fraction');
    }
    const ms = overflow ? null : componentMs(whole, fracDigits, unit);
    if (ms === null) overflow = true;
    else total += ms;
    next = index + 1;
  }
  return overflow || total > MAX_DURATION_MS ? tooLong(text) : { ok: true, ms: total };
}

/**
 * Parses a twin duration (`PT7M`, `P1DT12H`, `PT0.5S`) into milliseconds.
 * @throws ProtocolError `MALFORMED_DURATION`, its message naming what is wrong.
 */
export function parseDuration(text: string): number {
  const result = tryParseDuration(text);
  if (!result.ok) throw new ProtocolError('MALFORMED_DURATION', result.message);
  return result.ms;
}

/** True when {@link parseDuration} would accept `text`. */
export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && tryParseDuration(text).ok;
}
