/**
 * IPv4 and IPv6 text ⇄ numbers without allocating: lookups parse the address of every flow, so the
 * parsers read `charCodeAt` and write into caller-owned typed arrays. Errors are negative codes that
 * {@link addressErrorReason} turns into text (only feed parsing needs the text).
 */

/** Negative result codes of the address parsers. */
export const ADDRESS_ERROR = {
  malformed: -1,
  octetTooLarge: -2,
  leadingZero: -3,
  groupTooLong: -4,
  doubleColonTwice: -5,
  groupCount: -6,
  zoneIndex: -7,
} as const;

const REASONS: Record<number, string> = {
  [ADDRESS_ERROR.malformed]: 'not an IP address',
  [ADDRESS_ERROR.octetTooLarge]: 'IPv4 octet above 255',
  [ADDRESS_ERROR.leadingZero]: 'IPv4 octet with a leading zero (octal or decimal is ambiguous)',
  [ADDRESS_ERROR.groupTooLong]: 'IPv6 group longer than 4 hex digits',
  [ADDRESS_ERROR.doubleColonTwice]: 'IPv6 address with more than one "::"',
  [ADDRESS_ERROR.groupCount]: 'IPv6 address with the wrong number of groups',
  [ADDRESS_ERROR.zoneIndex]: 'IPv6 zone index (%…) is not allowed',
};

/** The human reason for a negative code from {@link parseIPv4} or {@link parseIPv6}. */
export function addressErrorReason(code: number): string {
  return REASONS[code] ?? 'not an IP address';
}

/**
 * Parses strict dotted-quad IPv4 in `s[from, to)`: four decimal octets, no leading zeros.
 * Returns the address as an unsigned 32-bit number, or a negative {@link ADDRESS_ERROR} code.
 */
export function parseIPv4(s: string, from = 0, to = s.length): number {
  const code = parseIPv4To(s, scratch4, from, to);
  return code < 0 ? code : scratch4[0]!;
}

const scratch4 = new Uint32Array(1);

/**
 * {@link parseIPv4} for the lookup path: writes the address to `out[0]` and returns 0 or a negative
 * code, because an unsigned result above 2^31 returned from a call that is not inlined is a heap
 * number — an allocation per lookup.
 */
export function parseIPv4To(s: string, out: Uint32Array, from = 0, to = s.length): number {
  let value = 0;
  let octets = 0;
  let i = from;
  while (true) {
    const first = i;
    let octet = 0;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
      if (i - first > 3) return ADDRESS_ERROR.malformed;
    }
    if (i === first) return ADDRESS_ERROR.malformed;
    if (octet > 255) return ADDRESS_ERROR.octetTooLarge;
    if (i - first > 1 && s.charCodeAt(first) === 48) return ADDRESS_ERROR.leadingZero;
    value = value * 256 + octet;
    octets++;
    if (octets === 4) {
      if (i !== to) return ADDRESS_ERROR.malformed;
      out[0] = value;
      return 0;
    }
    if (i >= to || s.charCodeAt(i) !== 46) return ADDRESS_ERROR.malformed;
    i++;
  }
}

/** Scratch groups for {@link parseIPv6}; the parser is synchronous, so one buffer serves every call. */
const groups = new Uint16Array(8);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Parses IPv6 text in `s[from, to)` (full, `::`-compressed, with an IPv4 tail, any case) into four
 * big-endian 32-bit words written to `out[0..3]`. Returns 0, or a negative {@link ADDRESS_ERROR} code.
 */
export function parseIPv6(s: string, out: Uint32Array, from = 0, to = s.length): number {
  let i = from;
  let count = 0;
  let gap = -1;
  if (to - i >= 2 && s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
  }
  while (i < to) {
    const first = i;
    let value = 0;
    let digit = 0;
    while (i < to && (digit = hexValue(s.charCodeAt(i))) >= 0) {
      value = value * 16 + digit;
      i++;
    }
    if (i < to && s.charCodeAt(i) === 46) {
      // An IPv4 tail fills the last two groups (RFC 4291 §2.2, form 3).
      if (count > 6) return ADDRESS_ERROR.groupCount;
      const v4 = parseIPv4(s, first, to);
      if (v4 < 0) return v4;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = to;
      break;
    }
    if (i === first)
      return i < to && s.charCodeAt(i) === 37 ? ADDRESS_ERROR.zoneIndex : ADDRESS_ERROR.malformed;
    if (i - first > 4) return ADDRESS_ERROR.groupTooLong;
    if (count === 8) return ADDRESS_ERROR.groupCount;
    groups[count++] = value;
    if (i === to) break;
    const c = s.charCodeAt(i);
    if (c === 37) return ADDRESS_ERROR.zoneIndex;
    if (c !== 58) return ADDRESS_ERROR.malformed;
    i++;
    if (i < to && s.charCodeAt(i) === 58) {
      if (gap >= 0) return ADDRESS_ERROR.doubleColonTwice;
      gap = count;
      i++;
    } else if (i === to) {
      return ADDRESS_ERROR.malformed;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return ADDRESS_ERROR.groupCount;
  const zeros = 8 - count;
  for (let g = 0, src = 0; g < 8; g++) {
    let v = 0;
    if (gap < 0 || g < gap) v = groups[src++]!;
    else if (g >= gap + zeros) v = groups[src++]!;
    if ((g & 1) === 0) out[g >> 1] = v << 16;
    else out[g >> 1] = (out[g >> 1]! | v) >>> 0;
  }
  return 0;
}

/** Whether four IPv6 words hold an IPv4-mapped address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2). */
export function isIPv4Mapped(w0: number, w1: number, w2: number): boolean {
  return w0 === 0 && w1 === 0 && w2 === 0xffff;
}

/** Dotted-quad text of an unsigned 32-bit address. */
export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 text of an IPv6 address given as four words: lowercase, longest zero run (≥ 2) as `::`. */
export function formatIPv6(words: ArrayLike<number>, offset = 0): string {
  const g: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = words[offset + w]! >>> 0;
    g.push(word >>> 16, word & 0xffff);
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    if (g[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && g[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = (from: number, to: number): string =>
    g
      .slice(from, to)
      .map((v) => v.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
