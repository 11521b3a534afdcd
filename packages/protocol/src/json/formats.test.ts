import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { codePointLength, isIpv4, isIpv6, timestampShape, timestampToEpochMs } from './formats.js';

/** mulberry32: a tiny deterministic PRNG, so every run explores the same inputs. */
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

/** Random strings over an alphabet of the pieces each format is made of, so many are near misses. */
function samples(pieces: readonly string[], seeds: readonly string[], count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out = [...seeds];
  while (out.length < count) {
    let text = pick(seeds);
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e += 1) {
      const at = Math.floor(random() * (text.length + 1));
      const op = Math.floor(random() * 3);
      if (op === 0) text = text.slice(0, at) + pick(pieces) + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1);
      else text = text.slice(0, at) + pick(pieces) + text.slice(at + 1);
    }
    out.push(text);
  }
  return out;
}

const ajvIpv4 = fullFormats.ipv4 as RegExp;
const ajvIpv6 = fullFormats.ipv6 as RegExp;
const ajvDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

describe('string formats agree with the JSON Schema formats the official schemas name', () => {
  it('ipv4: dotted quads without leading zeros, 0–255', () => {
    const seeds = [
      '10.228.100.167',
      '0.0.0.0',
      '255.255.255.255',
      '192.168.1.1',
      '1.2.3.4',
      '01.2.3.4',
      '256.1.1.1',
    ];
    const inputs = samples([...'0123456789.', '25', '255', '00', 'a', ' '], seeds, 20_000, 1);
    expect(inputs.filter((text) => isIpv4(text) !== ajvIpv4.test(text))).toEqual([]);
    expect(isIpv4('10.228.100.167')).toBe(true);
    expect(isIpv4('10.228.100.067')).toBe(false);
  });

  it('ipv6: groups, :: compression and a dotted-quad tail', () => {
    const seeds = [
      '::ffff:c000:0280',
      '::',
      '::1',
      '1::',
      'fe80::1ff:fe23:4567:890a',
      '2001:db8:85a3:0:0:8a2e:370:7334',
      '1:2:3:4:5:6:7::',
      '::1:2:3:4:5:6:7',
      '1:2:3:4:5:6:1.2.3.4',
      '1:2:3:4:5::1.2.3.4',
      '::ffff:192.168.0.1',
      '1:2:3:4:5:6:7:8',
    ];
    const inputs = samples(
      [...'0123456789abcdefABCDEFg:.', '::', 'ffff', '1.2.3.4', '%eth0'],
      seeds,
      40_000,
      2,
    );
    expect(inputs.filter((text) => isIpv6(text) !== ajvIpv6.test(text))).toEqual([]);
  });

  it('date-time: RFC 3339 with a zone; the zone-less form is told apart for the leniency', () => {
    const seeds = [
      '2018-08-10T11:01:21.000+01:00',
      '2018-08-10T11:01:21.000Z',
      '2019-01-27 15:48:52Z',
      '2019-01-27T15:48:52',
      '2016-12-31T23:59:60Z',
      '2016-12-31T22:59:60-01:00',
      '2020-02-29T00:00:00+0530',
      '2019-02-29T00:00:00Z',
      '2019-01-27t15:48:52.1234567z',
    ];
    const inputs = samples(
      [...'0123456789-:.+ZzTt ', '\u00a0', '60', '23', '59', '\u2028', '+01'],
      seeds,
      40_000,
      3,
    );
    expect(inputs.filter((text) => (timestampShape(text) === 'zoned') !== ajvDateTime(text))).toEqual([]);
    const unzoned = inputs.filter((text) => timestampShape(text) === 'unzoned');
    expect(unzoned.length).toBeGreaterThan(100);
    expect(unzoned.filter((text) => !ajvDateTime(`${text}Z`))).toEqual([]);
  });

  it('reads timestamps as epoch milliseconds, a missing zone as UTC', () => {
    expect(timestampToEpochMs('2018-08-10T11:01:21.250+01:00')).toBe(Date.UTC(2018, 7, 10, 10, 1, 21, 250));
    expect(timestampToEpochMs('2019-01-27 15:48:52Z')).toBe(Date.UTC(2019, 0, 27, 15, 48, 52));
    expect(timestampToEpochMs('2019-01-27T15:48:52')).toBe(Date.UTC(2019, 0, 27, 15, 48, 52));
    expect(timestampToEpochMs('2019-01-27T15:48:52-0230')).toBe(Date.UTC(2019, 0, 27, 18, 18, 52));
    expect(timestampToEpochMs('2016-12-31T23:59:60Z')).toBe(Date.UTC(2017, 0, 1));
    expect(timestampToEpochMs('0099-01-01T00:00:00Z')).toBe(new Date('0099-01-01T00:00:00Z').getTime());
    expect(timestampToEpochMs('2019-13-01T00:00:00Z')).toBeNull();
  });

  it('counts a surrogate pair as one character, as JSON Schema lengths do', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud800x')).toBe(2);
  });
});
