import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed-parser.js';
import type { ParsedFeed } from './parsed-feed.js';
import { ThreatIntelIndex } from './threat-intel-index.js';

/** mulberry32: a small seeded PRNG, so every run checks the same cases. */
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

// The documented reserved ranges, restated here and checked by Node's own BlockList, an implementation
// independent of the one under test.
const RESERVED = new BlockList();
for (const cidr of [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
]) {
  const [net, bits] = cidr.split('/');
  RESERVED.addSubnet(net!, Number(bits), 'ipv4');
}
for (const cidr of [
  '::/128',
  '::1/128',
  '100::/64',
  '2001:db8::/32',
  '3fff::/20',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
]) {
  const [net, bits] = cidr.split('/');
  RESERVED.addSubnet(net!, Number(bits), 'ipv6');
}

interface NaiveEntry {
  readonly feed: number;
  readonly line: number;
  readonly v6: boolean;
  readonly start: bigint;
  readonly end: bigint;
  readonly length: number;
}

const v4Text = (n: bigint): string => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
const v6Text = (n: bigint): string =>
  Array.from({ length: 8 }, (_, g) => ((n >> BigInt(112 - g * 16)) & 0xffffn).toString(16)).join(':');

/** Random prefixes clustered around a few bases (so they nest), some inside reserved ranges. */
function generate(
  random: () => number,
  v6: boolean,
  count: number,
  bases: readonly bigint[],
): { text: string; start: bigint; length: number }[] {
  const bits = v6 ? 128 : 32;
  const out: { text: string; start: bigint; length: number }[] = [];
  for (let i = 0; i < count; i++) {
    const base = bases[Math.floor(random() * bases.length)]!;
    const length = v6 ? 12 + Math.floor(random() * 117) : 6 + Math.floor(random() * 27);
    const noise = BigInt(Math.floor(random() * 2 ** 32)) << BigInt(Math.floor(random() * (bits - 24)));
    const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - length)) - 1n);
    const start = (base ^ noise) & mask;
    const bare = length === bits && random() < 0.5;
    let text = v6 ? v6Text(start) : v4Text(start);
    // Some IPv4 entries are written IPv4-mapped: ::ffff:a.b.c.d/(96 + n).
    if (!v6 && random() < 0.1) text = `::ffff:${text}/${96 + length}`;
    else if (!bare) text += `/${length}`;
    out.push({ text, start, length });
  }
  return out;
}

function naiveMatch(
  entries: readonly NaiveEntry[],
  internal: readonly boolean[],
  v6: boolean,
  address: bigint,
): NaiveEntry | undefined {
  const reserved = RESERVED.check(v6 ? v6Text(address) : v4Text(address), v6 ? 'ipv6' : 'ipv4');
  let best: NaiveEntry | undefined;
  for (const e of entries) {
    if (e.v6 !== v6 || address < e.start || address > e.end) continue;
    if (e.length < (v6 ? 16 : 8)) continue; // too broad, in every feed
    if (reserved && !internal[e.feed]) continue;
    if (
      !best ||
      e.length > best.length ||
      (e.length === best.length && (e.feed < best.feed || (e.feed === best.feed && e.line < best.line)))
    ) {
      best = e;
    }
  }
  return best;
}

describe('ThreatIntelIndex against a naive scan (seeded, IPv4 + IPv6, nested, several feeds)', () => {
  for (const seed of [1, 2, 3]) {
    it(`agrees on every lookup, seed ${seed}`, () => {
      const random = prng(seed);
      const v4Bases = [0x0a000000n, 0x64400000n, 0xc0000200n, 0x08080800n, 0x2d090000n, 0xe0000000n].concat(
        Array.from({ length: 6 }, () => BigInt(Math.floor(random() * 2 ** 32))),
      );
      const v6Bases = [
        0x20010db8n << 96n,
        0xfc00n << 112n,
        0xfe80n << 112n,
        0x2a001450n << 96n,
        0x3fff0000n << 96n,
        1n,
      ].concat(
        Array.from(
          { length: 6 },
          () => (BigInt(Math.floor(random() * 2 ** 32)) << 96n) | (0x20000000n << 96n),
        ),
      );
      const internal = [false, true, false];
      const entries: NaiveEntry[] = [];
      const feeds: ParsedFeed[] = internal.map((isInternal, f) => {
        const lines = [...generate(random, false, 300, v4Bases), ...generate(random, true, 300, v6Bases)];
        // Repeat some lines across feeds so ties between feeds happen.
        if (f > 0)
          lines.push(
            ...generate(prng(seed * 100), false, 30, v4Bases),
            ...generate(prng(seed * 100 + 1), true, 30, v6Bases),
          );
        lines.forEach((line, i) => {
          const v6 = line.text.includes(':') && !line.text.startsWith('::ffff:');
          const bits = v6 ? 128 : 32;
          const end = line.start | ((1n << BigInt(bits - line.length)) - 1n);
          entries.push({ feed: f, line: i + 1, v6, start: line.start, end, length: line.length });
        });
        const outcome = parseFeed(lines.map((l) => l.text).join('\n'), {
          name: `feed${f}`,
          format: { type: 'list' },
          internal: isInternal,
        });
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(outcome.feed.report.invalid).toBe(0);
        return outcome.feed;
      });
      const index = ThreatIntelIndex.build(feeds);
      const words = new Uint32Array(4);
      let hits = 0;
      for (let q = 0; q < 1500; q++) {
        const v6 = q % 2 === 1;
        const bits = v6 ? 128 : 32;
        const near = random() < 0.85 ? entries[Math.floor(random() * entries.length)]! : undefined;
        let address: bigint;
        if (near && near.v6 === v6) {
          // Inside, at the edges of, or just outside an entry.
          const pick = random();
          address =
            pick < 0.2
              ? near.start
              : pick < 0.4
                ? near.end
                : pick < 0.5
                  ? near.end + 1n
                  : pick < 0.6
                    ? near.start - 1n
                    : near.start + ((near.end - near.start) * BigInt(Math.floor(random() * 1000))) / 1000n;
          address = (address + (1n << BigInt(bits))) % (1n << BigInt(bits));
        } else {
          address = BigInt(Math.floor(random() * 2 ** 32));
          if (v6) address = (address << 96n) | BigInt(Math.floor(random() * 2 ** 32));
        }
        const expected = naiveMatch(entries, internal, v6, address);
        const text = v6 ? v6Text(address) : v4Text(address);
        const got = index.lookup(text);
        expect(got && { feed: got.feed, line: got.line }, text).toEqual(
          expected && { feed: `feed${expected.feed}`, line: expected.line },
        );
        // The numeric forms agree with the text form.
        const id = index.matchAddress(text);
        if (v6) {
          for (let w = 0; w < 4; w++) words[w] = Number((address >> BigInt(96 - w * 32)) & 0xffffffffn);
          expect(index.matchV6(words[0]!, words[1]!, words[2]!, words[3]!)).toBe(id);
        } else {
          expect(index.matchV4(Number(address))).toBe(id);
          expect(index.matchAddress(`::ffff:${text}`)).toBe(id);
        }
        if (expected) hits++;
      }
      // The generator must exercise both outcomes, or this test could not fail.
      expect(hits).toBeGreaterThan(300);
      expect(hits).toBeLessThan(1400);
    });
  }
});

describe('ThreatIntelIndex', () => {
  const feed = (name: string, text: string, internal = false): ParsedFeed => {
    const outcome = parseFeed(text, { name, format: { type: 'list' }, internal });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.feed;
  };

  it('returns the most specific entry, its feed and line, across nested prefixes', () => {
    const index = ThreatIntelIndex.build([
      feed('a', '45.0.0.0/8\n45.9.0.0/16\n'),
      feed('b', '# c\n45.9.148.0/24\n45.9.148.108\n'),
    ]);
    expect(index.lookup('45.9.148.108')).toEqual({
      feed: 'b',
      entry: '45.9.148.108',
      line: 3,
      internal: false,
    });
    expect(index.lookup('45.9.148.109')).toEqual({
      feed: 'b',
      entry: '45.9.148.0/24',
      line: 2,
      internal: false,
    });
    expect(index.lookup('45.9.149.1')).toMatchObject({ feed: 'a', entry: '45.9.0.0/16' });
    expect(index.lookup('45.10.0.0')).toMatchObject({ feed: 'a', entry: '45.0.0.0/8' });
    expect(index.lookup('46.0.0.0')).toBeUndefined();
    expect(index.lookup('44.255.255.255')).toBeUndefined();
  });

  it('prefers the feed given first when two list the same prefix', () => {
    const a = feed('a', '8.8.8.0/24\n2a00::/32\n');
    const b = feed('b', '8.8.8.0/24\n2a00::/32\n');
    expect(ThreatIntelIndex.build([a, b]).lookup('8.8.8.8')?.feed).toBe('a');
    expect(ThreatIntelIndex.build([b, a]).lookup('2a00::1')?.feed).toBe('b');
  });

  it('matches the whole address space edges and ignores unparseable input', () => {
    const index = ThreatIntelIndex.build([
      feed('edges', '1.0.0.0/8\n223.255.255.255\n2c0f:ffff::/32\n2001:4860::1\n'),
    ]);
    expect(index.lookup('223.255.255.255')?.entry).toBe('223.255.255.255');
    expect(index.lookup('1.0.0.0')?.entry).toBe('1.0.0.0/8');
    expect(index.lookup('2c0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff')?.entry).toBe('2c0f:ffff::/32');
    expect(index.lookup('2001:4860:0:0:0:0:0:1')?.entry).toBe('2001:4860::1');
    for (const junk of ['', 'example.com', '1.0.0.0/8', '1.0.0', ' 1.0.0.1', '2001:4860::1%eth0']) {
      expect(index.lookup(junk), junk).toBeUndefined();
    }
    expect(ThreatIntelIndex.EMPTY.lookup('1.0.0.1')).toBeUndefined();
    expect(() => index.describe(4)).toThrow(RangeError);
    expect(() => index.describe(-1)).toThrow(RangeError);
  });

  it('reports its size: intervals and bytes per family', () => {
    const stats = ThreatIntelIndex.build([feed('s', '1.0.0.0/8\n1.1.0.0/16\n2a00::/16\n')]).stats();
    expect(stats).toMatchObject({ feeds: 1, entries: 3, intervalsV4: 4, intervalsV6: 2 });
    // Intervals: (start, entry) = 8 bytes for IPv4, 20 for IPv6; 257-slot bucket tables; feed bases.
    expect(stats.tableBytes).toBe(4 * 8 + 2 * 20 + 2 * 257 * 4 + 2 * 4);
    // Entries: 9 bytes per IPv4 entry, 21 per IPv6 entry.
    expect(stats.entryBytes).toBe(2 * 9 + 21);
  });
});
