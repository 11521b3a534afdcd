import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ip-address.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('IP address text', () => {
  it.each([
    ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ['2001:db8::1:0:0:1', '2001:db8:0:0:1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1::1', '2001:0:0:1:0:0:0:1'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0::1'],
    ['fe80::', 'FE80::0'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['::102:304', '::1.2.3.4'],
  ])('renders %s (RFC 5952) from %s', (canonical, input) => {
    const bytes = parseIpv6(input);
    expect(bytes).not.toBeNull();
    expect(formatIpv6(bytes ?? new Uint8Array(16))).toBe(canonical);
  });

  it('agrees with the WHATWG URL serializer on 3,000 random addresses with zero runs', () => {
    const random = prng(5952);
    for (let n = 0; n < 3_000; n += 1) {
      const bytes = new Uint8Array(16);
      for (let i = 0; i < 16; i += 2) {
        if (random() < 0.5) continue; // leave zero groups for :: compression
        bytes[i] = random() < 0.5 ? 0 : Math.floor(random() * 256);
        bytes[i + 1] = Math.floor(random() * 256);
      }
      if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) continue;
      const text = formatIpv6(bytes);
      const full = Array.from({ length: 8 }, (_, g) =>
        (((bytes[2 * g] ?? 0) << 8) | (bytes[2 * g + 1] ?? 0)).toString(16).padStart(4, '0').toUpperCase(),
      ).join(':');
      expect(new URL(`http://[${full}]/`).hostname).toBe(`[${text}]`);
      expect(parseIpv6(text)).toEqual(bytes);
    }
  });

  it('parses and renders dotted quads, rejecting what inet_pton would not take', () => {
    const random = prng(4);
    for (let n = 0; n < 3_000; n += 1) {
      const bytes = Uint8Array.from({ length: 4 }, () => (random() < 0.2 ? 0 : Math.floor(random() * 256)));
      expect(parseIpv4(formatIpv4(bytes))).toEqual(bytes);
    }
    for (const bad of [
      '256.1.1.1',
      '1.2.3',
      '01.2.3.4',
      '1.2.3.4 ',
      '',
      '1..2.3',
      '1.2.3.4.5',
      '1.2.3.00',
      '.1.2.3',
      '1.2.3.',
    ])
      expect(parseIpv4(bad)).toBeNull();
    for (const bad of [
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      ':1:2:3:4:5:6:7',
      '12345::',
      'fe80::1%eth0',
      '::1.2.3',
      'g::',
    ])
      expect(parseIpv6(bad)).toBeNull();
  });
});
