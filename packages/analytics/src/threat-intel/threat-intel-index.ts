import { isIPv4Mapped, parseIPv4To, parseIPv6 } from './address.js';
import { entryLine, entryText, type ParsedFeed } from './parsed-feed.js';
import { buildPrefixTable, tableBytes, type PrefixTable } from './prefix-table.js';
import { collectPrefixes } from './prefix-columns.js';

/** Which feed and entry matched an address. */
export interface ThreatIntelMatch {
  readonly feed: string;
  /** The matching entry as canonical CIDR text (lowercase RFC 5952 IPv6; host prefixes without `/32`, `/128`). */
  readonly entry: string;
  /** The entry's line in the feed (CSV: the line its record starts on). */
  readonly line: number;
  readonly internal: boolean;
}

/** Sizes of an index, for load reports and the benchmark. */
export interface ThreatIntelIndexStats {
  readonly feeds: number;
  readonly entries: number;
  readonly intervalsV4: number;
  readonly intervalsV6: number;
  /** Bytes held by the lookup tables. */
  readonly tableBytes: number;
  /** Bytes held by the feeds' entry columns (shared with the parsed feeds). */
  readonly entryBytes: number;
}

const scratch = new Uint32Array(4);

/**
 * An immutable index over several parsed feeds: answers "is this address listed, and by which feed and
 * entry?". The most specific entry wins; between equally specific entries, the feed given first (then
 * the earlier line). Matching returns a number (entry id, -1 for none) and allocates nothing;
 * {@link describe} turns an id into a {@link ThreatIntelMatch}. Reloading builds a new index and
 * swaps the reference, so readers never see a half-built one.
 */
export class ThreatIntelIndex {
  /** An index with no feeds: nothing matches. */
  static readonly EMPTY = ThreatIntelIndex.build([]);

  // The tables' arrays, held directly so a lookup reads no intermediate object.
  private readonly intervals4: Uint32Array;
  private readonly buckets4: Uint32Array;
  private readonly shift4: number;
  private readonly intervals6: Uint32Array;
  private readonly buckets6: Uint32Array;
  private readonly shift6: number;

  private constructor(
    /** The feeds, in priority order. */
    readonly feeds: readonly ParsedFeed[],
    private readonly bases: Uint32Array,
    private readonly v4: PrefixTable,
    private readonly v6: PrefixTable,
  ) {
    this.intervals4 = v4.intervals;
    this.buckets4 = v4.buckets;
    this.shift4 = v4.shift;
    this.intervals6 = v6.intervals;
    this.buckets6 = v6.buckets;
    this.shift6 = v6.shift;
  }

  /** Builds an index from parsed feeds (earlier feeds win ties). Synchronous: ~1 s per million prefixes. */
  static build(feeds: readonly ParsedFeed[]): ThreatIntelIndex {
    const bases = new Uint32Array(feeds.length + 1);
    feeds.forEach((feed, f) => (bases[f + 1] = bases[f]! + feed.report.entries));
    const { v4, v6 } = collectPrefixes(feeds, bases);
    return new ThreatIntelIndex(feeds, bases, buildPrefixTable(v4, 1), buildPrefixTable(v6, 4));
  }

  /**
   * The entry id matching an IPv4 address given as a 32-bit number, unsigned or signed (`x | 0` keeps
   * it a small integer, which never allocates), or -1.
   */
  matchV4(address: number): number {
    address >>>= 0;
    const intervals = this.intervals4;
    const bucket = address >>> this.shift4;
    let lo = this.buckets4[bucket]!;
    let hi = this.buckets4[bucket + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (intervals[mid << 1]! > address) hi = mid;
      else lo = mid + 1;
    }
    return lo === 0 ? -1 : intervals[(lo << 1) - 1]! - 1;
  }

  /** The entry id matching an IPv6 address given as four big-endian 32-bit words (unsigned or signed), or -1. */
  matchV6(w0: number, w1: number, w2: number, w3: number): number {
    w0 >>>= 0;
    w1 >>>= 0;
    w2 >>>= 0;
    w3 >>>= 0;
    if (isIPv4Mapped(w0, w1, w2)) return this.matchV4(w3);
    const intervals = this.intervals6;
    const bucket = w0 >>> this.shift6;
    let lo = this.buckets6[bucket]!;
    let hi = this.buckets6[bucket + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = mid * 5;
      let s = intervals[k]!;
      let after: boolean;
      if (s !== w0) after = s > w0;
      else if ((s = intervals[k + 1]!) !== w1) after = s > w1;
      else if ((s = intervals[k + 2]!) !== w2) after = s > w2;
      else after = intervals[k + 3]! > w3;
      if (after) hi = mid;
      else lo = mid + 1;
    }
    return lo === 0 ? -1 : intervals[lo * 5 - 1]! - 1;
  }

  /** The entry id matching an address written as text (IPv4, IPv6, IPv4-mapped IPv6), or -1 (also when unparseable). */
  matchAddress(address: string): number {
    // IPv4 first: it fails fast at the first ':' or hex letter of an IPv6 address.
    // Words travel as int32 (`| 0`): an unsigned value above 2^31 would be boxed into a heap number
    // whenever the call is not inlined; the match methods take either form.
    if (parseIPv4To(address, scratch) === 0) return this.matchV4(scratch[0]! | 0);
    if (parseIPv6(address, scratch) < 0) return -1;
    return this.matchV6(scratch[0]! | 0, scratch[1]! | 0, scratch[2]! | 0, scratch[3]! | 0);
  }

  /** Which feed and entry an id from a `match*` method stands for. */
  describe(id: number): ThreatIntelMatch {
    if (!(id >= 0 && id < this.bases[this.feeds.length]!))
      throw new RangeError(`no entry ${id} in this index`);
    let f = 0;
    while (this.bases[f + 1]! <= id) f++;
    const feed = this.feeds[f]!;
    const entry = id - this.bases[f]!;
    return {
      feed: feed.name,
      entry: entryText(feed, entry),
      line: entryLine(feed, entry),
      internal: feed.internal,
    };
  }

  /** The match for an address written as text, or undefined (unlisted or not an address). */
  lookup(address: string): ThreatIntelMatch | undefined {
    const id = this.matchAddress(address);
    return id < 0 ? undefined : this.describe(id);
  }

  /** Sizes of this index. */
  stats(): ThreatIntelIndexStats {
    let entryBytes = 0;
    for (const feed of this.feeds) {
      for (const column of [
        feed.v4.address,
        feed.v4.length,
        feed.v4.line,
        feed.v6.words,
        feed.v6.length,
        feed.v6.line,
        feed.clipped,
      ]) {
        entryBytes += column.byteLength;
      }
    }
    return {
      feeds: this.feeds.length,
      entries: this.bases[this.feeds.length]!,
      intervalsV4: this.v4.count,
      intervalsV6: this.v6.count,
      tableBytes: tableBytes(this.v4) + tableBytes(this.v6) + this.bases.byteLength,
      entryBytes,
    };
  }
}
