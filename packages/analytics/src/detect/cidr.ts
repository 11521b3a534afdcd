import { isIP } from 'node:net';

/** A parsed CIDR block: address bits as a bigint, family and prefix length. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly prefix: number;
}

/** Parses `a.b.c.d[/n]` or an IPv6 address with optional `/n`; undefined when malformed. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const [address = '', prefixText] = text.trim().split('/');
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > width ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText))
  ) {
    return undefined;
  }
  return { family, bits: addressBits(address, family), prefix };
}

/** True when `address` lies inside `network` (IPv4-mapped IPv6 addresses match IPv4 networks). */
export function cidrContains(network: ParsedCidr, address: string): boolean {
  let candidate = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(candidate);
  if (mapped?.[1] !== undefined && network.family === 4) candidate = mapped[1];
  const family = isIP(candidate);
  if (family !== network.family) return false;
  const width = family === 4 ? 32 : 128;
  const shift = BigInt(width - network.prefix);
  return addressBits(candidate, family) >> shift === network.bits >> shift;
}

function addressBits(address: string, family: 4 | 6): bigint {
  if (family === 4) {
    return address.split('.').reduce((bits, octet) => (bits << 8n) | BigInt(Number(octet)), 0n);
  }
  const [head = '', tail] = address.split('::');
  const parse = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let groups = parse(head);
  let rest = tail === undefined ? [] : parse(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
  const expand = (list: string[]): string[] =>
    list.flatMap((group) => {
      if (!group.includes('.')) return [group];
      const value = Number(addressBits(group, 4));
      return [(value >>> 16).toString(16), (value & 0xffff).toString(16)];
    });
  groups = expand(groups);
  rest = expand(rest);
  const missing = 8 - groups.length - rest.length;
  const all = tail === undefined ? groups : [...groups, ...Array<string>(missing).fill('0'), ...rest];
  return all.reduce((bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)), 0n);
}
