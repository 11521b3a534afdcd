/**
 * IP address bytes ↔ text for the FlatBuffers address structs, which hold addresses in network byte
 * order (reference/azure-security-module.md §1.5, §1.7): the wire bytes are the address bytes in order.
 * Text follows what the Linux agent's inet_ntop prints: dotted quads, and RFC 5952 for IPv6 (lower-case,
 * longest run of two or more zero groups as `::`, IPv4-mapped addresses with a dotted tail).
 */

// Decimal and hex text of every byte / group value, built once: formatting runs once per flow address.
const DECIMAL = Array.from({ length: 256 }, (_, i) => String(i));
const groups = new Uint16Array(8);

/** Four bytes at `offset` as a dotted quad. */
export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${DECIMAL[bytes[offset] ?? 0]}.${DECIMAL[bytes[offset + 1] ?? 0]}.${DECIMAL[bytes[offset + 2] ?? 0]}.${DECIMAL[bytes[offset + 3] ?? 0]}`;
}

/** Sixteen bytes at `offset` in RFC 5952 text. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  for (let g = 0; g < 8; g += 1)
    groups[g] = ((bytes[offset + 2 * g] ?? 0) << 8) | (bytes[offset + 2 * g + 1] ?? 0);
  // ::ffff:a.b.c.d (RFC 5952 §5)
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  }
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never shortened (RFC 5952 §4.2.2)
  for (let g = 0; g < 8; g += 1) {
    if (groups[g] !== 0) continue;
    let end = g;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - g > bestLength) {
      bestStart = g;
      bestLength = end - g;
    }
    g = end;
  }
  let text = '';
  for (let g = 0; g < 8; g += 1) {
    if (g === bestStart) {
      text += '::';
      g += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += (groups[g] ?? 0).toString(16);
  }
  return text;
}

/** A dotted quad (decimal, no leading zeros) as four bytes, or null. A hand loop: encoders call it per flow. */
export function parseIpv4(text: string): Uint8Array | null {
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      if (digits === 0 || part > 3 || (i === text.length) !== (part === 3)) return null;
      bytes[part] = value;
      part += 1;
      value = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits > 0 && value === 0) return null; // leading zero
      value = value * 10 + (code - 0x30);
      digits += 1;
      if (value > 255) return null;
    } else {
      return null;
    }
  }
  return part === 4 ? bytes : null;
}

const GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(text: string, out: number[]): boolean {
  if (text === '') return true;
  for (const part of text.split(':')) {
    if (!GROUP.test(part)) return false;
    out.push(Number.parseInt(part, 16));
  }
  return true;
}

/** IPv6 text (with at most one `::` and an optional dotted IPv4 tail; no zone) as 16 bytes, or null. */
export function parseIpv6(text: string): Uint8Array | null {
  if (text.length > 45) return null;
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.includes('.', lastColon)) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return null;
    tail.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    // keep the colon so "::1.2.3.4" still ends in "::"
    body = body.slice(0, lastColon + 1);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head: number[] = [];
  const rest: number[] = [];
  if (!parseGroups(halves[0] ?? '', head)) return null;
  if (halves.length === 2 && !parseGroups(halves[1] ?? '', rest)) return null;
  const groups = [...head, ...rest, ...tail].length;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return null;
  const all = [...head, ...new Array<number>(8 - groups).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}
