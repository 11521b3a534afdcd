import { ADDRESS_ERROR, addressErrorReason, isIPv4Mapped, parseIPv4, parseIPv6 } from './address.js';

/** Negative result codes of {@link parseCidr} beyond the address parsers' own. */
export const CIDR_ERROR = {
  badLength: -20,
  lengthTooLarge: -21,
  hostBits: -22,
} as const;

/** Added to an IPv6 prefix length in {@link parseCidr}'s result, so one number carries family and length. */
export const V6 = 256;

/** Bits of host part of word `w` (0…3) for a prefix of `length` bits, as a mask of the host bits. */
export function hostMask(length: number, w: number): number {
  const bits = length - w * 32;
  if (bits <= 0) return 0xffffffff;
  if (bits >= 32) return 0;
  return 0xffffffff >>> bits;
}

/**
 * Parses `address` or `address/length` in `s[from, to)` into `out` (IPv4: `out[0]`; IPv6: `out[0..3]`).
 * Bare addresses are host prefixes (/32, /128). IPv4-mapped IPv6 prefixes of /96 or longer become the
 * IPv4 prefix they map (`::ffff:192.0.2.0/120` is `192.0.2.0/24`), so one entry matches either spelling.
 * Returns the length for IPv4, {@link V6} + length for IPv6, or a negative error code; host bits set
 * below the length (`10.0.0.1/8`) are an error rather than silently masked, since they usually mean a
 * typo in the length.
 */
export function parseCidr(s: string, out: Uint32Array, from = 0, to = s.length): number {
  let slash = -1;
  let colon = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 47) {
      slash = i;
      break;
    }
    if (c === 58) colon = true;
  }
  const end = slash < 0 ? to : slash;
  let max = 32;
  if (colon) {
    const code = parseIPv6(s, out, from, end);
    if (code < 0) return code;
    max = 128;
  } else {
    const v4 = parseIPv4(s, from, end);
    if (v4 < 0) return v4;
    out[0] = v4;
  }
  let length = max;
  if (slash >= 0) {
    const digits = to - slash - 1;
    if (digits < 1 || digits > 3 || (digits > 1 && s.charCodeAt(slash + 1) === 48))
      return CIDR_ERROR.badLength;
    length = 0;
    for (let i = slash + 1; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return CIDR_ERROR.badLength;
      length = length * 10 + (c - 48);
    }
    if (length > max) return CIDR_ERROR.lengthTooLarge;
  }
  const words = max === 32 ? 1 : 4;
  for (let w = 0; w < words; w++) {
    if ((out[w]! & hostMask(length, w)) !== 0) return CIDR_ERROR.hostBits;
  }
  if (max === 32) return length;
  if (length >= 96 && isIPv4Mapped(out[0]!, out[1]!, out[2]!)) {
    out[0] = out[3]!;
    return length - 96;
  }
  return V6 + length;
}

/** The human reason for a negative code from {@link parseCidr}. */
export function cidrErrorReason(code: number): string {
  switch (code) {
    case CIDR_ERROR.badLength:
      return 'prefix length is not a decimal number';
    case CIDR_ERROR.lengthTooLarge:
      return 'prefix length above 32 (IPv4) or 128 (IPv6)';
    case CIDR_ERROR.hostBits:
      return 'address has bits set beyond the prefix length';
    default:
      return addressErrorReason(code < 0 ? code : ADDRESS_ERROR.malformed);
  }
}
