/**
 * The string formats of the JSON 1.0 schemas, checked by hand: `date-time` (RFC 3339), `ipv4`,
 * `ipv6` and the GUID length. They follow the semantics of the JSON Schema formats the official
 * schemas name (as implemented by ajv-formats, the oracle in the tests), so Vigil accepts exactly the
 * strings the official validator accepts, and no regular expression can backtrack.
 */

/** How a timestamp reads: not at all, as RFC 3339, or as RFC 3339 without its zone (§2.1 quirk). */
export type TimestampShape =
  | 'invalid'
  | 'zoned'
  /** `2019-01-27T15:48:52`: the C# agent's .NET "s" format (reference §2.1). */
  | 'unzoned';

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(text: string, at: number): number {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(text: string, at: number): number {
  const a = digit(text, at);
  const b = digit(text, at + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** JavaScript's `\s`: the date/time separator may be any of these or `T` (as in ajv-formats). */
function isSeparator(code: number): boolean {
  return (
    code === 0x54 || // T
    code === 0x74 || // t
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The parts of a readable timestamp; `offsetMinutes` is 0 when the zone is missing. */
interface TimestampParts {
  readonly shape: TimestampShape;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly offsetMinutes: number;
}

const INVALID: TimestampParts = {
  shape: 'invalid',
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  offsetMinutes: 0,
};

/** Reads `YYYY-MM-DD(T|t|space)HH:MM:SS[.frac][Z|±HH[[:]MM]]` with RFC 3339's range and leap-second rules. */
function readTimestamp(text: string): TimestampParts {
  const n = text.length;
  if (n < 19) return INVALID;
  const y1 = twoDigits(text, 0);
  const y2 = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const whole = twoDigits(text, 17);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || whole < 0) return INVALID;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return INVALID;
  if (!isSeparator(text.charCodeAt(10))) return INVALID;
  let at = 19;
  let second = whole;
  if (text[at] === '.') {
    const start = at + 1;
    at = start;
    while (at < n && digit(text, at) >= 0) at += 1;
    if (at === start) return INVALID;
    second = Number(text.slice(17, at));
  }
  let shape: TimestampShape = 'unzoned';
  let sign = 1;
  let zoneHours = 0;
  let zoneMinutes = 0;
  if (at < n) {
    const c = text[at];
    if (c === 'z' || c === 'Z') {
      if (at + 1 !== n) return INVALID;
    } else if (c === '+' || c === '-') {
      sign = c === '-' ? -1 : 1;
      zoneHours = twoDigits(text, at + 1);
      if (zoneHours < 0) return INVALID;
      at += 3;
      if (at < n) {
        if (text[at] === ':') at += 1;
        zoneMinutes = twoDigits(text, at);
        if (zoneMinutes < 0 || at + 2 !== n) return INVALID;
      }
    } else return INVALID;
    shape = 'zoned';
  }
  const year = y1 * 100 + y2;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > days) return INVALID;
  if (zoneHours > 23 || zoneMinutes > 59) return INVALID;
  const parts = {
    shape,
    year,
    month,
    day,
    hour,
    minute,
    second,
    offsetMinutes: sign * (zoneHours * 60 + zoneMinutes),
  };
  if (hour <= 23 && minute <= 59 && second < 60) return parts;
  // A leap second is allowed only at 23:59:60 UTC (RFC 3339 §5.7), wherever the local clock says that is.
  const utcMinute = minute - zoneMinutes * sign;
  const utcHour = hour - zoneHours * sign - (utcMinute < 0 ? 1 : 0);
  const atLeapSecond = (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1);
  return atLeapSecond && second < 61 ? parts : INVALID;
}

/** Classifies a timestamp string: RFC 3339 with zone, without zone (lenient), or unreadable. */
export function timestampShape(text: string): TimestampShape {
  return readTimestamp(text).shape;
}

/**
 * Epoch milliseconds of a JSON 1.0 timestamp; a missing zone is read as UTC (the C# agent's "s"
 * format, reference §2.1). Null when the text is not a timestamp.
 */
export function timestampToEpochMs(text: string): number | null {
  const p = readTimestamp(text);
  if (p.shape === 'invalid') return null;
  const seconds = Math.floor(p.second);
  const millis = Math.round((p.second - seconds) * 1000);
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, seconds, millis);
  // Date.UTC maps years 0–99 to 1900–1999; set the year again so `0099-…` means year 99.
  const date = new Date(utc);
  if (p.year < 100) date.setUTCFullYear(p.year);
  return date.getTime() - p.offsetMinutes * 60_000;
}

/**
 * True when `text[start, end)` is a dotted quad: four decimal octets 0–255 without leading zeros.
 * One pass, no allocation: this runs for every address of every network payload item.
 */
function isIpv4Range(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 7 || length > 15) return false;
  let parts = 0;
  let value = 0;
  let digits = 0;
  let leadingZero = false;
  for (let i = start; i <= end; i += 1) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && leadingZero)) return false;
      parts += 1;
      value = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || digits === 3) return false;
    if (digits === 0) leadingZero = d === 0;
    value = value * 10 + d;
    digits += 1;
  }
  return parts === 4;
}

/** True for a dotted-quad IPv4 address (`format: ipv4`). */
export function isIpv4(text: string): boolean {
  return isIpv4Range(text, 0, text.length);
}

function isHexGroup(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 4) return false;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Counts the 16-bit groups of `text[start, end)` split by `:`, the last one possibly a dotted quad
 * (worth two groups) when `allowIpv4Tail`; -1 when any part is malformed.
 */
function countGroups(text: string, start: number, end: number, allowIpv4Tail: boolean): number {
  if (start === end) return 0;
  let groups = 0;
  let from = start;
  for (;;) {
    const colon = text.indexOf(':', from);
    const stop = colon < 0 || colon >= end ? end : colon;
    if (stop === end && allowIpv4Tail && text.indexOf('.', from) >= 0 && text.indexOf('.', from) < end) {
      return isIpv4Range(text, from, end) ? groups + 2 : -1;
    }
    if (!isHexGroup(text, from, stop)) return -1;
    groups += 1;
    if (stop === end) return groups;
    from = stop + 1;
  }
}

/** True for an IPv6 address in text form, with `::` and an optional dotted-quad tail (`format: ipv6`). */
export function isIpv6(text: string): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  const gap = text.indexOf('::');
  if (gap < 0) return countGroups(text, 0, n, true) === 8;
  if (text.indexOf('::', gap + 1) >= 0) return false;
  const left = countGroups(text, 0, gap, false);
  const right = countGroups(text, gap + 2, n, true);
  return left >= 0 && right >= 0 && left + right <= 7;
}

/** True for an IPv4 or IPv6 address (the schemas' `ip` type). */
export function isIpAddress(text: string): boolean {
  return isIpv4(text) || isIpv6(text);
}

/**
 * Length in Unicode code points, as JSON Schema counts `minLength`/`maxLength` (a surrogate pair is
 * one character).
 */
export function codePointLength(text: string): number {
  let length = 0;
  const n = text.length;
  for (let i = 0; i < n; i += 1) {
    length += 1;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i += 1;
  }
  return length;
}

/** True for a schema `guid`: any string of exactly 36 characters. */
export function isGuidLength(text: string): boolean {
  // Code points never outnumber UTF-16 units, and a pair halves at most: skip counting when impossible.
  if (text.length < 36 || text.length > 72) return false;
  return text.length === 36 && !/[\ud800-\udbff]/.test(text) ? true : codePointLength(text) === 36;
}
