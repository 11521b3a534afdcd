import { cidrErrorReason, parseCidr, V6 } from './cidr.js';
import type { FeedLimits } from './limits.js';
import { GrowableU32, GrowableU8, type FeedLineError, type ParsedFeed } from './parsed-feed.js';
import { classifyV4, classifyV6, type SetAsideReason } from './reserved.js';

/** Why the collector stopped taking entries. */
export type CollectorStop = 'TOO_MANY_ENTRIES' | undefined;

/**
 * Turns entry text into a {@link ParsedFeed}, one entry at a time, for both feed formats: validates,
 * sets aside reserved and too-broad entries, counts and records invalid lines.
 */
export class FeedCollector {
  private readonly scratch = new Uint32Array(4);
  private readonly address4 = new GrowableU32();
  private readonly length4 = new GrowableU8();
  private readonly line4 = new GrowableU32();
  private readonly words6 = new GrowableU32();
  private readonly length6 = new GrowableU8();
  private readonly line6 = new GrowableU32();
  private readonly clipped4 = new GrowableU32();
  private readonly clipped6 = new GrowableU32();
  private readonly setAsideByReason: Partial<Record<SetAsideReason, number>> = {};
  private readonly errors: FeedLineError[] = [];
  private setAside = 0;
  private invalidCount = 0;
  /** Set once the feed holds more entries than allowed; the caller stops reading. */
  stopped: CollectorStop;

  constructor(
    private readonly name: string,
    private readonly internal: boolean,
    private readonly limits: FeedLimits,
  ) {}

  /** Whether any line held a valid entry (kept or set aside). */
  get anyValid(): boolean {
    return this.line4.size + this.line6.size + this.setAside > 0;
  }

  /** Invalid lines so far. */
  get invalidLines(): number {
    return this.invalidCount;
  }

  /** Parses `text[from, to)` as an address or CIDR from line `line`, and keeps, sets aside or rejects it. */
  add(text: string, from: number, to: number, line: number): void {
    const code = parseCidr(text, this.scratch, from, to);
    if (code < 0) {
      this.invalid(
        line,
        `${cidrErrorReason(code)}: ${JSON.stringify(text.slice(from, Math.min(to, from + 64)))}`,
      );
      return;
    }
    const v6 = code >= V6;
    const length = v6 ? code - V6 : code;
    const min = v6 ? this.limits.minPrefixLength.v6 : this.limits.minPrefixLength.v4;
    // Reserved first, so 224.0.0.0/3 is reported as multicast rather than merely too broad.
    let verdict: 'keep' | 'clip' | SetAsideReason = 'keep';
    if (!this.internal)
      verdict = v6 ? classifyV6(this.scratch, length) : classifyV4(this.scratch[0]!, length);
    if ((verdict === 'keep' || verdict === 'clip') && length < min) verdict = 'too-broad';
    if (verdict !== 'keep' && verdict !== 'clip') {
      this.setAside++;
      this.setAsideByReason[verdict] = (this.setAsideByReason[verdict] ?? 0) + 1;
      return;
    }
    if (this.line4.size + this.line6.size >= this.limits.maxEntries) {
      this.stopped = 'TOO_MANY_ENTRIES';
      return;
    }
    if (v6) {
      if (verdict === 'clip') this.clipped6.push(this.line6.size);
      for (let w = 0; w < 4; w++) this.words6.push(this.scratch[w]!);
      this.length6.push(length);
      this.line6.push(line);
    } else {
      if (verdict === 'clip') this.clipped4.push(this.line4.size);
      this.address4.push(this.scratch[0]!);
      this.length4.push(length);
      this.line4.push(line);
    }
  }

  /** Records an invalid line. */
  invalid(line: number, reason: string): void {
    this.invalidCount++;
    if (this.errors.length < this.limits.maxReportedErrors) this.errors.push({ line, reason });
  }

  /** The parsed feed. */
  finish(): ParsedFeed {
    const v4Count = this.line4.size;
    const clipped = new Uint32Array(this.clipped4.size + this.clipped6.size);
    clipped.set(this.clipped4.finish());
    const clipped6 = this.clipped6.finish();
    for (let i = 0; i < clipped6.length; i++) clipped[this.clipped4.size + i] = clipped6[i]! + v4Count;
    return {
      name: this.name,
      internal: this.internal,
      v4: { address: this.address4.finish(), length: this.length4.finish(), line: this.line4.finish() },
      v6: { words: this.words6.finish(), length: this.length6.finish(), line: this.line6.finish() },
      clipped,
      report: {
        entries: v4Count + this.line6.size,
        entriesV4: v4Count,
        entriesV6: this.line6.size,
        clipped: clipped.length,
        setAside: this.setAside,
        setAsideByReason: { ...this.setAsideByReason },
        invalid: this.invalidCount,
        errors: [...this.errors],
      },
    };
  }
}
