import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed-parser.js';
import { ThreatIntelIndex } from './threat-intel-index.js';

describe('the lookup hot path', () => {
  it('allocates nothing: no garbage collection and no heap growth over 600,000 warm lookups', async () => {
    const lines: string[] = [];
    let seed = 3;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 20_000; i++) {
      lines.push(
        `${(next() % 200) + 1}.${next() % 256}.${next() % 256}.0/24`,
        `2a0${next() % 10}:${(next() % 65536).toString(16)}::/32`,
      );
    }
    const outcome = parseFeed(lines.join('\n'), { name: 'x', format: { type: 'list' }, internal: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const index = ThreatIntelIndex.build([outcome.feed]);
    // Words above 2^31 on purpose: those are the values that get boxed into heap numbers.
    const words = new Uint32Array(4096 * 4).map(() => next() | 0x80000000);
    const texts = Array.from({ length: 4096 }, (_, i) =>
      i % 2 === 0
        ? `${(next() % 223) + 1}.${next() % 256}.1.2`
        : `2a0${next() % 10}:${(next() % 65536).toString(16)}::1`,
    );
    const run = (rounds: number): number => {
      let sink = 0;
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < 4096; i++) {
          sink ^= index.matchV4(words[i]!);
          sink ^= index.matchV6(words[4 * i]!, words[4 * i + 1]!, words[4 * i + 2]!, words[4 * i + 3]!);
          sink ^= index.matchAddress(texts[i]!);
        }
      }
      return sink;
    };
    // Steady state is what matters: on a busy machine the optimising compiler may finish late, and
    // unoptimised code boxes numbers. So measure up to five times; an implementation that allocates
    // per lookup fails every attempt.
    const attempts: { collections: number; growth: number }[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      run(100);
      await new Promise((resolve) => setTimeout(resolve, 100));
      let collections = 0;
      const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
      observer.observe({ entryTypes: ['gc'] });
      const before = process.memoryUsage().heapUsed;
      run(50);
      const growth = process.memoryUsage().heapUsed - before;
      await new Promise((resolve) => setTimeout(resolve, 50));
      observer.disconnect();
      attempts.push({ collections, growth });
      // 16 bytes per lookup would be ~9.8 MB: a collection or megabytes of growth.
      if (collections === 0 && growth < 512 * 1024) break;
    }
    expect(attempts.at(-1)!.collections, JSON.stringify(attempts)).toBe(0);
    expect(attempts.at(-1)!.growth, JSON.stringify(attempts)).toBeLessThan(512 * 1024);
  });
});
