import type { ParsedFeed } from './parsed-feed.js';
import type { PrefixColumns } from './prefix-table.js';
import { clipReserved, RESERVED_V4, RESERVED_V6 } from './reserved.js';

class ColumnsBuilder {
  private address: Uint32Array;
  private length: Uint8Array;
  private rank: Uint8Array;
  private id: Uint32Array;
  private size = 0;

  constructor(
    private readonly words: number,
    capacity: number,
  ) {
    this.address = new Uint32Array(capacity * words);
    this.length = new Uint8Array(capacity);
    this.rank = new Uint8Array(capacity);
    this.id = new Uint32Array(capacity);
  }

  push(words: ArrayLike<number>, offset: number, length: number, rank: number, id: number): void {
    if (this.size === this.length.length) this.grow();
    for (let w = 0; w < this.words; w++) this.address[this.size * this.words + w] = words[offset + w]!;
    this.length[this.size] = length;
    this.rank[this.size] = rank;
    this.id[this.size] = id;
    this.size++;
  }

  private grow(): void {
    const capacity = this.length.length * 2 + 16;
    const address = new Uint32Array(capacity * this.words);
    address.set(this.address);
    this.address = address;
    const length = new Uint8Array(capacity);
    length.set(this.length);
    this.length = length;
    const rank = new Uint8Array(capacity);
    rank.set(this.rank);
    this.rank = rank;
    const id = new Uint32Array(capacity);
    id.set(this.id);
    this.id = id;
  }

  finish(): PrefixColumns {
    return {
      address: this.address.subarray(0, this.size * this.words),
      length: this.length.subarray(0, this.size),
      rank: this.rank.subarray(0, this.size),
      id: this.id.subarray(0, this.size),
    };
  }
}

/**
 * Gathers every feed's entries into per-family prefix columns with global entry ids (`bases[f]` +
 * the entry's number in feed f). Entries of public feeds that cover reserved ranges are replaced by
 * the prefixes of their public part, which keep the entry's id and its original length as rank — so
 * clipping changes where an entry matches, never how specific it counts as.
 */
export function collectPrefixes(
  feeds: readonly ParsedFeed[],
  bases: Uint32Array,
): { v4: PrefixColumns; v6: PrefixColumns } {
  let count4 = 0;
  let count6 = 0;
  for (const feed of feeds) {
    count4 += feed.report.entriesV4;
    count6 += feed.report.entriesV6;
  }
  const v4 = new ColumnsBuilder(1, count4);
  const v6 = new ColumnsBuilder(4, count6);
  feeds.forEach((feed, f) => {
    const base = bases[f]!;
    const clipped = new Set(feed.clipped);
    const n4 = feed.v4.length.length;
    for (let i = 0; i < n4; i++) {
      const length = feed.v4.length[i]!;
      if (!clipped.has(i)) {
        v4.push(feed.v4.address, i, length, length, base + i);
        continue;
      }
      clipReserved(RESERVED_V4, [feed.v4.address[i]!], length, (words, pieceLength) =>
        v4.push(words, 0, pieceLength, length, base + i),
      );
    }
    const n6 = feed.v6.length.length;
    for (let i = 0; i < n6; i++) {
      const length = feed.v6.length[i]!;
      if (!clipped.has(n4 + i)) {
        v6.push(feed.v6.words, i * 4, length, length, base + n4 + i);
        continue;
      }
      const words = Array.from(feed.v6.words.subarray(i * 4, i * 4 + 4));
      clipReserved(RESERVED_V6, words, length, (piece, pieceLength) =>
        v6.push(piece, 0, pieceLength, length, base + n4 + i),
      );
    }
  });
  return { v4: v4.finish(), v6: v6.finish() };
}
