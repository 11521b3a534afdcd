import { hostMask, parseCidr, V6 } from './cidr.js';

/**
 * Why an entry of a public feed was set aside. Aggregated public lists carry bogons (FireHOL level1
 * lists 10.0.0.0/8 and 224.0.0.0/3, for one), and a device talking to its LAN must not raise
 * "communication with a suspicious IP" — so these ranges match only in feeds marked `internal`.
 * `too-broad` is the one reason that applies to internal feeds too (see {@link FeedLimits}).
 */
export const SET_ASIDE_REASONS = [
  'private',
  'loopback',
  'link-local',
  'cgnat',
  'documentation',
  'unspecified',
  'multicast',
  'broadcast',
  'reserved',
  'too-broad',
] as const;

/** One of {@link SET_ASIDE_REASONS}. */
export type SetAsideReason = (typeof SET_ASIDE_REASONS)[number];

/** A reserved range: family words (IPv4 uses word 0), length and why it is reserved. */
export interface ReservedRange {
  readonly cidr: string;
  readonly reason: SetAsideReason;
  readonly words: readonly number[];
  readonly length: number;
}

// IANA special-purpose registries (RFC 6890 and successors): the ranges a threat feed cannot
// meaningfully list for a device's peer on the internet.
const V4_RANGES: readonly (readonly [string, SetAsideReason])[] = [
  ['0.0.0.0/8', 'unspecified'], // "this network", RFC 1122 §3.2.1.3
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['100.64.0.0/10', 'cgnat'], // RFC 6598 shared address space
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // RFC 3927
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments, RFC 6890
  ['192.0.2.0/24', 'documentation'], // RFC 5737 TEST-NET-1
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking, RFC 2544
  ['198.51.100.0/24', 'documentation'], // TEST-NET-2
  ['203.0.113.0/24', 'documentation'], // TEST-NET-3
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // RFC 1112 "future use"
  ['255.255.255.255/32', 'broadcast'], // RFC 919
];

const V6_RANGES: readonly (readonly [string, SetAsideReason])[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'reserved'], // discard-only, RFC 6666
  ['2001:db8::/32', 'documentation'], // RFC 3849
  ['3fff::/20', 'documentation'], // RFC 9637
  ['fc00::/7', 'private'], // unique local, RFC 4193
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'reserved'], // deprecated site-local, RFC 3879
  ['ff00::/8', 'multicast'],
];

function compile(ranges: readonly (readonly [string, SetAsideReason])[]): readonly ReservedRange[] {
  const scratch = new Uint32Array(4);
  return ranges.map(([cidr, reason]) => {
    const code = parseCidr(cidr, scratch);
    if (code < 0) throw new Error(`bad reserved range ${cidr}`);
    const v6 = code >= V6;
    return {
      cidr,
      reason,
      words: Array.from(scratch.subarray(0, v6 ? 4 : 1)),
      length: v6 ? code - V6 : code,
    };
  });
}

/** The IPv4 ranges that public feeds never match. */
export const RESERVED_V4 = compile(V4_RANGES);
/** The IPv6 ranges that public feeds never match (IPv4-mapped addresses are checked as IPv4). */
export const RESERVED_V6 = compile(V6_RANGES);

/** Whether the prefix (`outer`, `outerLength`) contains the prefix (`inner`, `innerLength`). */
export function contains(
  outer: ArrayLike<number>,
  outerLength: number,
  inner: ArrayLike<number>,
  innerLength: number,
  innerOffset = 0,
): boolean {
  if (innerLength < outerLength) return false;
  for (let w = 0; w < outer.length; w++) {
    if ((inner[innerOffset + w]! & ~hostMask(outerLength, w)) >>> 0 !== outer[w]) return false;
  }
  return true;
}

/**
 * What to do with a public feed's IPv4 entry: `keep`; `clip` when it covers reserved ranges but also
 * public space (only the public part matches, see {@link clipReserved}); or the reason it is set aside,
 * when it lies inside a reserved range or covers nothing but reserved space.
 */
export function classifyV4(address: number, length: number): 'keep' | 'clip' | SetAsideReason {
  scratchV4[0] = address;
  return classifyIn(RESERVED_V4, scratchV4, length, 0);
}

const scratchV4 = new Uint32Array(1);

/** Whether the reserved `range` lies inside the prefix at `words[offset..]` of `length` bits. */
function covers(words: ArrayLike<number>, offset: number, length: number, range: ReservedRange): boolean {
  if (range.length <= length) return false;
  for (let w = 0; w < range.words.length; w++) {
    if ((range.words[w]! & ~hostMask(length, w)) >>> 0 !== words[offset + w]! >>> 0) return false;
  }
  return true;
}

/** {@link classifyV4} for an IPv6 prefix stored at `words[offset..offset+3]`. */
export function classifyV6(
  words: ArrayLike<number>,
  length: number,
  offset = 0,
): 'keep' | 'clip' | SetAsideReason {
  return classifyIn(RESERVED_V6, words, length, offset);
}

function classifyIn(
  ranges: readonly ReservedRange[],
  words: ArrayLike<number>,
  length: number,
  offset: number,
): 'keep' | 'clip' | SetAsideReason {
  let inside: ReservedRange | undefined;
  let covered: ReservedRange | undefined;
  for (const range of ranges) {
    if (contains(range.words, range.length, words, length, offset)) {
      if (inside === undefined || range.length > inside.length) inside = range;
    } else if (covers(words, offset, length, range)) {
      if (covered === undefined || range.length < covered.length) covered = range;
    }
  }
  if (inside) return inside.reason;
  if (!covered) return 'keep';
  let pieces = 0;
  clipReserved(ranges, slice(words, offset, ranges[0]!.words.length), length, () => pieces++);
  return pieces > 0 ? 'clip' : covered.reason;
}

function slice(words: ArrayLike<number>, offset: number, count: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < count; w++) out.push(words[offset + w]! >>> 0);
  return out;
}

/**
 * Emits the largest prefixes that together cover the public part of (`words`, `length`): the entry
 * minus every reserved range inside it (`100.0.0.0/8` → `100.0.0.0/10` and `100.128.0.0/9`).
 */
export function clipReserved(
  ranges: readonly ReservedRange[],
  words: readonly number[],
  length: number,
  emit: (words: readonly number[], length: number) => void,
): void {
  for (const range of ranges) {
    if (contains(range.words, range.length, words, length)) return;
  }
  const overlaps = ranges.some(
    (range) => range.length > length && contains(words, length, range.words, range.length),
  );
  if (!overlaps) {
    emit(words, length);
    return;
  }
  const upper = words.slice();
  const w = length >>> 5;
  upper[w] = (upper[w]! | (0x80000000 >>> (length & 31))) >>> 0;
  clipReserved(ranges, words, length + 1, emit);
  clipReserved(ranges, upper, length + 1, emit);
}
