import { describe, expect, it } from 'vitest';
import { decodeIpv4Hex, decodeIpv6Hex, decodePortHex, formatIpv6 } from './inet-address.js';

const bytes = (hex: string): number[] => hex.match(/../g)!.map((b) => Number.parseInt(b, 16));

describe('addresses from /proc/net', () => {
  it('reads IPv4 addresses in little-endian order and ports as written', () => {
    expect(decodeIpv4Hex('0100007F')).toBe('127.0.0.1');
    expect(decodeIpv4Hex('0F02000A')).toBe('10.0.2.15');
    expect(decodePortHex('1F90')).toBe(8080);
    expect(decodePortHex('01BB')).toBe(443);
  });

  it('reads IPv6 addresses as four little-endian words', () => {
    expect(decodeIpv6Hex('00000000000000000000000001000000')).toBe('::1');
    expect(decodeIpv6Hex('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1');
    expect(decodeIpv6Hex('B80D0120000000000000000005000000')).toBe('2001:db8::5');
    expect(decodeIpv6Hex('000080FE000000000000000001000000')).toBe('fe80::1');
  });

  it('rejects text that is not hex of the right length', () => {
    expect(() => decodeIpv4Hex('0100007')).toThrow();
    expect(() => decodeIpv6Hex('zz')).toThrow();
  });

  // Expected strings are glibc 2.36 inet_ntop output (the format ss prints).
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00010000000000010000000000000001', '1:0:0:1::1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['00000000000000000000000000000002', '::2'],
    ['00000000000000000000000001020304', '::1.2.3.4'],
    ['00000000000000000000000000000100', '::100'],
    ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
    ['00010000000000000000000000000000', '1::'],
    ['00000000000100000000000000000000', '0:0:1::'],
  ])('formats %s as inet_ntop does (%s)', (hex, text) => {
    expect(formatIpv6(bytes(hex))).toBe(text);
  });
});
