import { describe, expect, it } from 'vitest';
import { ADDRESS_ERROR, formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './address.js';

function v6(text: string): number[] | number {
  const out = new Uint32Array(4);
  const code = parseIPv6(text, out);
  return code < 0 ? code : Array.from(out);
}

describe('parseIPv4', () => {
  it('reads dotted quads as unsigned 32-bit numbers', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('1.2.3.4')).toBe(0x01020304);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('xx1.2.3.4yy', 2, 9)).toBe(0x01020304);
  });

  it('rejects what inet_aton would read differently or not at all', () => {
    expect(parseIPv4('256.1.1.1')).toBe(ADDRESS_ERROR.octetTooLarge);
    expect(parseIPv4('01.2.3.4')).toBe(ADDRESS_ERROR.leadingZero);
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '1.2.3.4.',
      '1234.1.1.1',
      '1.2.3.-4',
      '0x1.2.3.4',
      ' 1.2.3.4',
    ]) {
      expect(parseIPv4(bad), bad).toBeLessThan(0);
    }
  });
});

describe('parseIPv6', () => {
  it('reads full, compressed, mixed-case and IPv4-tailed forms', () => {
    expect(v6('2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual([0x20010db8, 0, 0, 1]);
    expect(v6('2001:DB8::1')).toEqual([0x20010db8, 0, 0, 1]);
    expect(v6('::')).toEqual([0, 0, 0, 0]);
    expect(v6('::1')).toEqual([0, 0, 0, 1]);
    expect(v6('fe80::')).toEqual([0xfe800000, 0, 0, 0]);
    expect(v6('1:2:3:4:5:6:7::')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070000]);
    expect(v6('::ffff:192.0.2.1')).toEqual([0, 0, 0xffff, 0xc0000201]);
    expect(v6('64:ff9b::1.2.3.4')).toEqual([0x0064ff9b, 0, 0, 0x01020304]);
    expect(v6('1:2:3:4:5:6:1.2.3.4')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x01020304]);
  });

  it('rejects malformed text with a specific code', () => {
    expect(v6('1::2::3')).toBe(ADDRESS_ERROR.doubleColonTwice);
    expect(v6('12345::')).toBe(ADDRESS_ERROR.groupTooLong);
    expect(v6('1:2:3:4:5:6:7')).toBe(ADDRESS_ERROR.groupCount);
    expect(v6('1:2:3:4:5:6:7:8:9')).toBe(ADDRESS_ERROR.groupCount);
    expect(v6('1:2:3:4:5:6:7:8::')).toBe(ADDRESS_ERROR.groupCount);
    expect(v6('fe80::1%eth0')).toBe(ADDRESS_ERROR.zoneIndex);
    for (const bad of [':', ':1::', '1:', '1::2:', 'g::', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', ':::']) {
      expect(v6(bad), bad).toBeLessThan(0);
    }
  });
});

describe('formatting', () => {
  it('writes RFC 5952 text: lowercase, longest zero run compressed, single zero groups kept', () => {
    expect(formatIPv4(0xc0000201)).toBe('192.0.2.1');
    expect(formatIPv6([0x20010db8, 0, 0, 1])).toBe('2001:db8::1');
    expect(formatIPv6([0, 0, 0, 0])).toBe('::');
    expect(formatIPv6([0x20010db8, 0x00000001, 0x00010001, 0x00010001])).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIPv6([0x20010000, 0, 0x00010000, 0x00000001])).toBe('2001::1:0:0:1');
    expect(formatIPv6([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff])).toBe(
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    );
  });
});
