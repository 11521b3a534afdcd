import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed-parser.js';
import type { ParsedFeed } from './parsed-feed.js';
import { ThreatIntelIndex } from './threat-intel-index.js';

function feed(name: string, lines: readonly string[], internal = false): ParsedFeed {
  const outcome = parseFeed(lines.join('\n'), { name, format: { type: 'list' }, internal });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.feed;
}

const BOGONS: readonly (readonly [string, string, string])[] = [
  // entry, reason, an address inside it
  ['10.1.0.0/16', 'private', '10.1.2.3'],
  ['172.16.5.5', 'private', '172.16.5.5'],
  ['192.168.0.0/16', 'private', '192.168.1.1'],
  ['127.0.0.1', 'loopback', '127.0.0.1'],
  ['169.254.169.254', 'link-local', '169.254.169.254'],
  ['100.64.0.0/10', 'cgnat', '100.100.100.100'],
  ['192.0.2.0/24', 'documentation', '192.0.2.77'],
  ['198.51.100.7', 'documentation', '198.51.100.7'],
  ['203.0.113.0/25', 'documentation', '203.0.113.1'],
  ['0.0.0.0', 'unspecified', '0.0.0.0'],
  ['224.0.0.251', 'multicast', '224.0.0.251'],
  ['255.255.255.255', 'broadcast', '255.255.255.255'],
  ['240.1.0.0/16', 'reserved', '240.1.1.1'],
  ['fd12:3456::/32', 'private', 'fd12:3456::1'],
  ['fe80::/64', 'link-local', 'fe80::1'],
  ['2001:db8:1::/48', 'documentation', '2001:db8:1::1'],
  ['::1', 'loopback', '::1'],
  ['::', 'unspecified', '::'],
  ['ff02::1', 'multicast', 'ff02::1'],
  ['::ffff:10.9.9.9', 'private', '10.9.9.9'],
];

describe('private and bogon ranges', () => {
  it('sets aside entries inside reserved ranges of public feeds, reporting each reason', () => {
    const parsed = feed(
      'public',
      BOGONS.map(([entry]) => entry),
    );
    expect(parsed.report.entries).toBe(0);
    expect(parsed.report.setAside).toBe(BOGONS.length);
    const expected: Record<string, number> = {};
    for (const [, reason] of BOGONS) expected[reason] = (expected[reason] ?? 0) + 1;
    expect(parsed.report.setAsideByReason).toEqual(expected);
    const index = ThreatIntelIndex.build([parsed]);
    for (const [, , address] of BOGONS) expect(index.lookup(address), address).toBeUndefined();
  });

  it('matches the same entries when the feed is marked internal', () => {
    const index = ThreatIntelIndex.build([
      feed(
        'lan',
        BOGONS.map(([entry]) => entry),
        true,
      ),
    ]);
    for (const [entry, , address] of BOGONS) {
      expect(index.lookup(address), address).toMatchObject({ feed: 'lan', internal: true });
      expect(index.lookup(address)!.entry).toBe(entry.replace('::ffff:', ''));
    }
  });

  it('sets aside entries that cover nothing but reserved space (FireHOL lists 224.0.0.0/3)', () => {
    const parsed = feed('p', ['224.0.0.0/3', 'fc00::/7']);
    expect(parsed.report).toMatchObject({
      entries: 0,
      setAside: 2,
      setAsideByReason: { multicast: 1, private: 1 },
    });
  });

  it('sets aside entries broader than /8 (IPv4) or /16 (IPv6) in every feed, internal ones included', () => {
    for (const internal of [false, true]) {
      const parsed = feed('p', ['0.0.0.0/0', '0.0.0.0/1', '2000::/3', '::/0'], internal);
      expect(parsed.report).toMatchObject({ entries: 0, setAside: 4, setAsideByReason: { 'too-broad': 4 } });
    }
    const tight = parseFeed(
      '8.0.0.0/7\n',
      { name: 't', format: { type: 'list' }, internal: false },
      { minPrefixLength: { v4: 6, v6: 16 } },
    );
    expect(tight.ok && tight.feed.report.entries).toBe(1);
  });

  it('keeps the public part of an entry that covers reserved ranges, and never matches the reserved part', () => {
    // 100.0.0.0/8 holds CGNAT 100.64.0.0/10; 192.0.0.0/8 holds 192.0.0.0/24, 192.0.2.0/24 and 192.168.0.0/16.
    const parsed = feed('p', ['100.0.0.0/8', '192.0.0.0/8', '2001:db8::/31']);
    expect(parsed.report).toMatchObject({ entries: 3, clipped: 3, setAside: 0 });
    const index = ThreatIntelIndex.build([parsed]);
    for (const address of ['100.0.0.1', '100.63.255.255', '100.128.0.0', '100.255.255.255']) {
      expect(index.lookup(address)?.entry, address).toBe('100.0.0.0/8');
    }
    for (const address of [
      '100.64.0.0',
      '100.127.255.255',
      '192.0.2.1',
      '192.168.3.4',
      '192.0.0.9',
      '2001:db8::1',
    ]) {
      expect(index.lookup(address), address).toBeUndefined();
    }
    for (const address of ['192.0.1.1', '192.0.3.0', '192.167.255.255', '192.169.0.0', '192.255.0.1']) {
      expect(index.lookup(address)?.entry, address).toBe('192.0.0.0/8');
    }
    expect(index.lookup('2001:db9::1')?.entry).toBe('2001:db8::/31');
  });

  it('clips 0.0.0.0/1 to its public part once the breadth limit allows it', () => {
    const outcome = parseFeed(
      '0.0.0.0/1\n',
      { name: 'wide', format: { type: 'list' }, internal: false },
      { minPrefixLength: { v4: 1, v6: 16 } },
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.feed.report).toMatchObject({ entries: 1, clipped: 1, setAside: 0 });
    const index = ThreatIntelIndex.build([outcome.feed]);
    for (const address of ['1.1.1.1', '8.8.8.8', '100.63.0.1', '126.255.255.255']) {
      expect(index.lookup(address)?.entry, address).toBe('0.0.0.0/1');
    }
    for (const address of ['0.1.2.3', '10.0.0.1', '100.64.0.1', '127.0.0.1', '128.0.0.1']) {
      expect(index.lookup(address), address).toBeUndefined();
    }
  });

  it('ranks a clipped entry by its own length, not by the pieces it was cut into', () => {
    // 192.0.0.0/16 is cut into pieces as long as /24; it must still lose to a /20 and beat a /12.
    const index = ThreatIntelIndex.build([
      feed('broad', ['192.0.0.0/12']),
      feed('mid', ['192.0.0.0/16']),
      feed('narrow', ['192.0.0.0/20']),
    ]);
    expect(index.lookup('192.0.1.1')).toMatchObject({ feed: 'narrow', entry: '192.0.0.0/20' });
    expect(index.lookup('192.0.16.1')).toMatchObject({ feed: 'mid', entry: '192.0.0.0/16' });
    expect(index.lookup('192.1.0.1')).toMatchObject({ feed: 'broad', entry: '192.0.0.0/12' });
    expect(index.lookup('192.0.2.1')).toBeUndefined();
  });

  it('lets an internal feed match inside a reserved range that a public feed covers', () => {
    const index = ThreatIntelIndex.build([
      feed('public', ['100.0.0.0/8']),
      feed('lan', ['100.64.0.0/16'], true),
    ]);
    expect(index.lookup('100.64.1.1')).toMatchObject({ feed: 'lan' });
    expect(index.lookup('100.65.1.1')).toBeUndefined();
    expect(index.lookup('100.1.1.1')).toMatchObject({ feed: 'public' });
  });
});
