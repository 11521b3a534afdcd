import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed, type FeedParseOptions, type FeedParseOutcome } from './feed-parser.js';
import type { FeedLimits } from './limits.js';
import { entryLine, entryText, type ParsedFeed } from './parsed-feed.js';

const LIST: FeedParseOptions = { name: 'list', format: { type: 'list' }, internal: false };
const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function ok(outcome: FeedParseOutcome): ParsedFeed {
  if (!outcome.ok) throw new Error(`parse failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.feed;
}

/** Entries as `text@line`, the way a user would read them back. */
function entries(feed: ParsedFeed): string[] {
  return Array.from({ length: feed.report.entries }, (_, i) => `${entryText(feed, i)}@${entryLine(feed, i)}`);
}

function list(text: string, limits?: Partial<FeedLimits>, internal = false): FeedParseOutcome {
  return parseFeed(text, { ...LIST, internal }, limits);
}

describe('plain lists', () => {
  it('reads addresses and CIDRs around comments, blank lines, CRLF and whitespace', () => {
    const feed = ok(
      list(
        '# header\r\n; other comment style\r\n\r\n  1.2.3.4  \r\n\t5.6.7.0/24\t# inline\r\n6.6.6.0/23;SBL1\r\n   \r\n2a00:1450::/32 ; inline\r\n',
      ),
    );
    expect(entries(feed)).toEqual(['1.2.3.4@4', '5.6.7.0/24@5', '6.6.6.0/23@6', '2a00:1450::/32@8']);
    expect(feed.report).toMatchObject({ entries: 4, entriesV4: 3, entriesV6: 1, invalid: 0, setAside: 0 });
  });

  it('treats bare addresses as host prefixes and canonicalises IPv6 and IPv4-mapped entries', () => {
    const feed = ok(
      list(
        '8.8.8.8\n8.8.4.4/32\n2001:4860:4860:0000:0000:0000:0000:8888\n2A00:1450::1/128\n::ffff:9.9.9.0/120\n::ffff:1.1.1.1\n',
      ),
    );
    expect(entries(feed)).toEqual([
      '8.8.8.8@1',
      '8.8.4.4@2',
      '9.9.9.0/24@5',
      '1.1.1.1@6',
      '2001:4860:4860::8888@3',
      '2a00:1450::1@4',
    ]);
  });

  it('reports each invalid line with its number and reason, and keeps the rest', () => {
    const outcome = list(
      [
        '1.2.3.4',
        'bad',
        '256.1.1.1',
        '1.2.3.4/33',
        '1.2.3.4/24',
        '1.2.3.4/',
        '1.2.3.4 5.6.7.8',
        '1::2::3',
        '010.1.1.1',
        'fe80::1%eth0',
        '2001:db8::/129',
      ].join('\n'),
    );
    const feed = ok(outcome);
    expect(entries(feed)).toEqual(['1.2.3.4@1']);
    expect(feed.report.invalid).toBe(10);
    expect(feed.report.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(feed.report.errors.map((e) => e.reason)).toEqual([
      expect.stringContaining('not an IP address'),
      expect.stringContaining('octet above 255'),
      expect.stringContaining('prefix length above'),
      expect.stringContaining('bits set beyond the prefix length'),
      expect.stringContaining('not a decimal number'),
      expect.stringContaining('unexpected text after the entry'),
      expect.stringContaining('more than one "::"'),
      expect.stringContaining('leading zero'),
      expect.stringContaining('zone index'),
      expect.stringContaining('prefix length above'),
    ]);
  });

  it('fails only when every entry line is invalid; a feed of comments is empty, not failed', () => {
    const failed = list('# c\nnope\nnot-an-ip\n');
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('NO_VALID_ENTRIES');
      expect(failed.report.errors.map((e) => e.line)).toEqual([2, 3]);
    }
    expect(ok(list('# nothing listed today\n\n')).report.entries).toBe(0);
    // Entries that are all set aside are valid lines: the feed loads with zero matchable entries.
    expect(ok(list('10.0.0.0/8\n')).report).toMatchObject({ entries: 0, setAside: 1 });
  });

  it('skips over-long lines, caps the reported errors, and fails past the entry or byte bounds', () => {
    const long = `1.2.3.4${' '.repeat(100)}`;
    const feed = ok(list(`${long}\n5.6.7.8\n  # ${'licence text '.repeat(20)}\n`, { maxLineLength: 64 }));
    expect(entries(feed)).toEqual(['5.6.7.8@2']);
    expect(feed.report.errors).toEqual([{ line: 1, reason: 'line longer than 64 characters' }]);

    const noisy = ok(list(`${'x\n'.repeat(50)}1.1.1.1\n`, { maxReportedErrors: 3 }));
    expect(noisy.report.invalid).toBe(50);
    expect(noisy.report.errors).toHaveLength(3);

    const many = list('1.1.1.1\n1.1.1.2\n1.1.1.3\n', { maxEntries: 2 });
    expect(many.ok ? 'ok' : many.error.code).toBe('TOO_MANY_ENTRIES');
    const big = list('1.1.1.1\n'.repeat(10), { maxFeedBytes: 40 });
    expect(big.ok ? 'ok' : big.error.code).toBe('TOO_LARGE');
  });

  it('reads a FireHOL-style netset, setting its bogons aside by reason', () => {
    const feed = ok(parseFeed(fixture('firehol-level1-excerpt.netset'), { ...LIST, name: 'firehol_level1' }));
    expect(entries(feed)).toEqual(['1.10.16.0/20@8', '1.19.0.0/16@9', '5.8.37.0/24@18']);
    expect(feed.report.setAside).toBe(9);
    expect(feed.report.setAsideByReason).toEqual({
      unspecified: 1,
      private: 3,
      cgnat: 1,
      loopback: 1,
      'link-local': 1,
      documentation: 1,
      multicast: 1, // 224.0.0.0/3 is multicast + class E: nothing public left
    });
  });

  it('reads a Spamhaus DROP-style list with CRLF and "; SBL" inline comments', () => {
    const feed = ok(parseFeed(fixture('spamhaus-drop-excerpt.txt'), { ...LIST, name: 'drop' }));
    expect(entries(feed)).toEqual(['1.10.16.0/20@3', '1.19.0.0/16@4', '2.56.192.0/22@5']);
  });
});

describe('CSV', () => {
  const csv = (column: number | string, text: string, internal = false): FeedParseOutcome =>
    parseFeed(text, { name: 'csv', format: { type: 'csv', column }, internal });

  it('reads the named column of an abuse.ch-style file (comments, quoted header and fields)', () => {
    const feed = ok(csv('dst_ip', fixture('c2-blocklist.csv')));
    expect(entries(feed)).toEqual(['45.9.148.108@5', '2a01:4f8:c17:1a2b::2@6']);
    expect(feed.report.setAsideByReason).toEqual({ private: 1 });
    expect(feed.report.errors).toEqual([{ line: 8, reason: expect.stringContaining('not-an-ip') }]);
  });

  it('matches header names after trimming, case-insensitively, and fails on a missing one', () => {
    expect(entries(ok(csv('IP', ' ip ,x\n1.1.1.1,a\n')))).toEqual(['1.1.1.1@2']);
    const missing = csv('address', 'ip,x\n1.1.1.1,a\n');
    expect(missing.ok ? 'ok' : missing.error.code).toBe('BAD_COLUMN');
  });

  it('reads a column by 0-based index, with or without a header row', () => {
    expect(entries(ok(csv(1, 'a,1.1.1.1\nb,2.2.2.0/24\n')))).toEqual(['1.1.1.1@1', '2.2.2.0/24@2']);
    expect(entries(ok(csv(1, 'name,address\nb,2.2.2.2\n')))).toEqual(['2.2.2.2@2']);
  });

  it('handles RFC 4180 quoting: commas, doubled quotes and line breaks inside fields, CRLF', () => {
    const text =
      'note,ip\r\n"a, b",1.1.1.1\r\n"said ""hi""",2.2.2.2\r\n"multi\r\nline\nnote","3.3.3.3"\r\n4th,4.4.4.4';
    const feed = ok(csv('ip', text));
    // The multi-line record starts on line 4, so the last record is on line 7.
    expect(entries(feed)).toEqual(['1.1.1.1@2', '2.2.2.2@3', '3.3.3.3@4', '4.4.4.4@7']);
  });

  it('reports short records, empty cells, broken quoting and over-long records by line', () => {
    const feed = ok(csv('ip', 'x,ip\na,1.1.1.1\nonlyone\nb,\nc,"2.2.2.2"junk\nd,"3.3.3.3\n'));
    expect(entries(feed)).toEqual(['1.1.1.1@2']);
    expect(feed.report.errors).toEqual([
      { line: 3, reason: 'record has 1 fields, no column 1' },
      { line: 4, reason: 'column 1 is empty' },
      { line: 5, reason: 'text after a closing quote' },
      { line: 6, reason: 'unterminated quoted field' },
    ]);
    const long = ok(
      parseFeed(
        `ip\n${'9'.repeat(80)}\n1.1.1.1\n`,
        { name: 'c', format: { type: 'csv', column: 0 }, internal: false },
        { maxLineLength: 40 },
      ),
    );
    expect(long.report.errors).toEqual([{ line: 2, reason: 'record longer than 40 characters' }]);
    expect(entries(long)).toEqual(['1.1.1.1@3']);
    const empty = ok(csv(0, 'ip,x\n1.1.1.1,a\n ,b\n'));
    expect(empty.report.errors).toEqual([{ line: 3, reason: 'column 0 is empty' }]);
  });
});
