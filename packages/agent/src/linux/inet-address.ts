/**
 * Addresses and ports as `/proc/net/*` writes them: hexadecimal in the kernel's (little-endian) byte
 * order. Rendered the way `inet_ntop(3)` (and so `ss`) renders them, so the agent's output compares
 * equal to the system tools'.
 */

/** A hexadecimal 32-bit word from `/proc/net` as the four address bytes it holds in memory order. */
function wordBytes(hex: string): number[] {
  // The kernel prints the u32 with %08X on a little-endian host, so the lowest byte comes last.
  const value = Number.parseInt(hex, 16);
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** Dotted IPv4 text from the 8 hex digits of `/proc/net/{tcp,udp,raw,icmp}`. */
export function decodeIpv4Hex(hex: string): string {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) throw new Error(`not an IPv4 hex address: ${hex}`);
  return wordBytes(hex).join('.');
}

/** The 16 bytes of an IPv6 address from the 32 hex digits of `/proc/net/*6` (four little-endian words). */
export function ipv6BytesFromHex(hex: string): number[] {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new Error(`not an IPv6 hex address: ${hex}`);
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(hex.slice(i, i + 8)));
  return bytes;
}

/**
 * IPv6 text exactly as glibc's `inet_ntop` writes it: lower-case hex, the longest run (≥ 2) of zero
 * groups compressed to `::` (the first of equal runs), and the last 32 bits dotted for IPv4-mapped
 * (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`, both high words non-zero) addresses, as glibc 2.36 does.
 */
export function formatIpv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j += 1;
    if (j - i > bestLen) [bestBase, bestLen] = [i, j - i];
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  const dotted = `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const embedsIpv4 = bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i += 1) {
    if (i === bestBase) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (embedsIpv4 && i === 6) return out + (out.endsWith(':') ? '' : ':') + dotted;
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (words[i] ?? 0).toString(16);
  }
  return out;
}

/** IPv6 text from the 32 hex digits of `/proc/net/*6`. */
export function decodeIpv6Hex(hex: string): string {
  return formatIpv6(ipv6BytesFromHex(hex));
}

/** A port from its 4 hex digits (printed in host order, so no byte swap). */
export function decodePortHex(hex: string): number {
  if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new Error(`not a hex port: ${hex}`);
  return Number.parseInt(hex, 16);
}

/** True for `0.0.0.0` and `::`, the "any address" of each family. */
export function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
