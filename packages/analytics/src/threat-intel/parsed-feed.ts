import { formatIPv4, formatIPv6 } from './address.js';
import type { SetAsideReason } from './reserved.js';

/** An invalid line of a feed: where and why (reported, never fatal on its own). */
export interface FeedLineError {
  /** 1-based line number (CSV: the line where the record starts). */
  readonly line: number;
  readonly reason: string;
}

/** What a parse kept, set aside and rejected. */
export interface FeedParseReport {
  /** Matchable entries kept (IPv4 + IPv6). */
  readonly entries: number;
  readonly entriesV4: number;
  readonly entriesV6: number;
  /** Kept entries that covered reserved ranges: only their public part matches. */
  readonly clipped: number;
  /** Entries set aside (private, bogon, too broad), in total and by reason. */
  readonly setAside: number;
  readonly setAsideByReason: Readonly<Partial<Record<SetAsideReason, number>>>;
  /** Invalid lines, all counted; the first `maxReportedErrors` in `errors`. */
  readonly invalid: number;
  readonly errors: readonly FeedLineError[];
}

/**
 * One feed's entries after parsing, in compact columns (about 9 bytes per IPv4 entry and 21 per IPv6
 * entry): the index refers to these rather than copying them, so a rebuild after one feed reloads
 * reuses every other feed's arrays.
 */
export interface ParsedFeed {
  readonly name: string;
  readonly internal: boolean;
  /** IPv4 network addresses, prefix lengths and source lines, by entry. */
  readonly v4: { readonly address: Uint32Array; readonly length: Uint8Array; readonly line: Uint32Array };
  /** IPv6 network addresses (4 words per entry), prefix lengths and source lines. */
  readonly v6: { readonly words: Uint32Array; readonly length: Uint8Array; readonly line: Uint32Array };
  /** Entry numbers (IPv4 first, then IPv6 after `v4.length.length`) that match only outside reserved ranges. */
  readonly clipped: Uint32Array;
  readonly report: FeedParseReport;
}

/** The text of entry `entry` of `feed` (IPv4 entries first): canonical CIDR, host prefixes bare. */
export function entryText(feed: ParsedFeed, entry: number): string {
  const v4Count = feed.v4.length.length;
  if (entry < v4Count) {
    const length = feed.v4.length[entry]!;
    const text = formatIPv4(feed.v4.address[entry]!);
    return length === 32 ? text : `${text}/${length}`;
  }
  const i = entry - v4Count;
  const length = feed.v6.length[i]!;
  const text = formatIPv6(feed.v6.words, i * 4);
  return length === 128 ? text : `${text}/${length}`;
}

/** The source line of entry `entry` of `feed`. */
export function entryLine(feed: ParsedFeed, entry: number): number {
  const v4Count = feed.v4.length.length;
  return entry < v4Count ? feed.v4.line[entry]! : feed.v6.line[entry - v4Count]!;
}

/** Growable column of unsigned integers, trimmed to size at the end. */
export class GrowableU32 {
  private data = new Uint32Array(1024);
  size = 0;

  push(value: number): void {
    if (this.size === this.data.length) this.grow();
    this.data[this.size++] = value;
  }

  /** The value at `index` (below `size`). */
  at(index: number): number {
    return this.data[index]!;
  }

  private grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  /** The values pushed, in an array of exactly that size. */
  finish(): Uint32Array {
    return this.data.slice(0, this.size);
  }
}

/** Growable column of bytes. */
export class GrowableU8 {
  private data = new Uint8Array(1024);
  size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = value;
  }

  /** The values pushed, in an array of exactly that size. */
  finish(): Uint8Array {
    return this.data.slice(0, this.size);
  }
}
