/**
 * Threat-intelligence matching: lookups per second against 1,000,000 mixed IPv4/IPv6 public prefixes
 * (seeded random: 60 % IPv4, 40 % IPv6, nested where they happen to fall), by numeric address and by
 * text, against a peer measured in the same run: a naive `ipaddr.js` scan (`addr.match(range, bits)`,
 * most specific wins) over a 10,000-prefix list. Also: feed load time (parse + index build) and memory
 * per prefix (heap + array buffers after a forced GC, and the typed arrays' exact byte length), and
 * IPv4 lookups against 1,000,000 IPv4-only prefixes. Goal (issue 6): ≥ 20M lookups/s on one core,
 * ≤ 64 bytes per prefix.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ipaddr from 'ipaddr.js';
import {
  parseFeed,
  RESERVED_V4,
  RESERVED_V6,
  ThreatIntelIndex,
  formatIPv4,
  formatIPv6,
} from '@vigil/analytics';

const SECONDS = Number(process.env.VIGIL_BENCH_SECONDS ?? 2);
const PREFIXES = 1_000_000;
const NAIVE_PREFIXES = 10_000;
const QUERIES = 1 << 18;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** mulberry32: seeded, so every run measures the same prefixes and queries. */
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
const random = prng(20261123);
const u32 = (): number => Math.floor(random() * 4294967296);

function reserved(words: readonly number[], ranges: typeof RESERVED_V4): boolean {
  return ranges.some((range) =>
    range.words.every((word, w) => {
      const bits = Math.min(32, Math.max(0, range.length - w * 32));
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return (words[w]! & mask) >>> 0 === word;
    }),
  );
}

function maskWord(word: number, length: number, w: number): number {
  const bits = Math.min(32, Math.max(0, length - w * 32));
  return bits === 0 ? 0 : (word & ((0xffffffff << (32 - bits)) >>> 0)) >>> 0;
}

/** A public IPv4 prefix as text: half host addresses, a quarter /24, a quarter /12–/31. */
function randomV4(): string {
  let address: number;
  do address = u32();
  while (reserved([address], RESERVED_V4));
  const pick = random();
  const length = pick < 0.5 ? 32 : pick < 0.75 ? 24 : 12 + Math.floor(random() * 20);
  const text = formatIPv4(maskWord(address, length, 0));
  return length === 32 ? text : `${text}/${length}`;
}

/** A global-unicast IPv6 prefix as text (2000::/3): /128, /64, /48 and /20–/127. */
function randomV6(): string {
  let words: number[];
  do words = [(0x20000000 | (u32() & 0x1fffffff)) >>> 0, u32(), u32(), u32()];
  while (reserved(words, RESERVED_V6));
  const pick = random();
  const length = pick < 0.3 ? 128 : pick < 0.6 ? 64 : pick < 0.8 ? 48 : 20 + Math.floor(random() * 108);
  const text = formatIPv6(words.map((word, w) => maskWord(word, length, w)));
  return length === 128 ? text : `${text}/${length}`;
}

function generate(count: number, v6Share: number): string[] {
  return Array.from({ length: count }, () => (random() < v6Share ? randomV6() : randomV4()));
}

/**
 * Runs `pass` (which performs `count` lookups) for SECONDS, in five windows, and keeps each window's
 * rate per second of wall time and per second of this process's CPU time; returns the best of each.
 * On a shared machine the CPU-time rate is the one-core figure (wall time also counts waiting for a
 * core), and the best window is the one least disturbed by neighbours.
 */
function rate(pass: () => number, count: number): { wall: number; cpu: number } {
  pass(); // warm-up: let the JIT optimise the loop
  let sink = 0;
  let best = { wall: 0, cpu: 0 };
  for (let window = 0; window < 5; window++) {
    let done = 0;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    do {
      sink += pass();
      done += count;
    } while (performance.now() - start < (SECONDS * 1_000) / 5);
    const wall = (performance.now() - start) / 1_000;
    const cpu = process.cpuUsage(cpu0);
    best = {
      wall: Math.max(best.wall, done / wall),
      cpu: Math.max(best.cpu, done / ((cpu.user + cpu.system) / 1e6)),
    };
  }
  if (sink === -1) process.stdout.write('');
  return best;
}

/**
 * Heap and array-buffer bytes after full collections. V8 releases array-buffer memory on a background
 * sweeper, so collect until the figure stops falling (on a busy machine that can take a while).
 */
async function memory(): Promise<{ heap: number; buffers: number }> {
  let buffers = Infinity;
  for (let round = 0; round < 20; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = process.memoryUsage().arrayBuffers;
    if (now >= buffers) break;
    buffers = now;
  }
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

async function load(lines: readonly string[]): Promise<{
  index: ThreatIntelIndex;
  parseMs: number;
  buildMs: number;
  cpuMs: number;
  heapBytes: number;
  bufferBytes: number;
}> {
  const text = lines.join('\n');
  const before = await memory();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = parseFeed(text, { name: 'bench', format: { type: 'list' }, internal: false });
  const t1 = performance.now();
  if (!outcome.ok) throw new Error(outcome.error.message);
  const index = ThreatIntelIndex.build([outcome.feed]);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const after = await memory();
  if (text.length === 0) throw new Error('empty feed'); // keeps `text` alive across both measurements
  return {
    index,
    parseMs: t1 - t0,
    buildMs: t2 - t1,
    cpuMs: (cpu.user + cpu.system) / 1_000,
    heapBytes: after.heap - before.heap,
    bufferBytes: after.buffers - before.buffers,
  };
}

/** Query addresses: half drawn from inside listed prefixes (hits), half random (mostly misses). */
function queries(lines: readonly string[], v6: boolean): { text: string[]; words: Uint32Array } {
  const pool = lines.filter((line) => line.includes(':') === v6);
  const text: string[] = [];
  const words = new Uint32Array(QUERIES * (v6 ? 4 : 1));
  for (let q = 0; q < QUERIES; q++) {
    const [net, bits] = pool[Math.floor(random() * pool.length)]!.split('/');
    const width = v6 ? 4 : 1;
    const base = ipaddr.parse(net!).toByteArray();
    const length = bits === undefined ? width * 32 : Number(bits);
    for (let w = 0; w < width; w++) {
      const word =
        ((base[w * 4]! << 24) | (base[w * 4 + 1]! << 16) | (base[w * 4 + 2]! << 8) | base[w * 4 + 3]!) >>> 0;
      const host = (u32() & ~maskWord(0xffffffff, length, w)) >>> 0;
      words[q * width + w] =
        q % 2 === 0 ? (word | host) >>> 0 : w === 0 && v6 ? (0x20000000 | (u32() & 0x1fffffff)) >>> 0 : u32();
    }
    text.push(v6 ? formatIPv6(words, q * 4) : formatIPv4(words[q]!));
  }
  return { text, words };
}

type Rate = { wall: number; cpu: number };
type QuerySet = { text: string[]; words: Uint32Array };

function ours(index: ThreatIntelIndex, v6: boolean, set: QuerySet): { numeric: Rate; text: Rate } {
  const { words, text } = set;
  const numeric = v6
    ? rate(() => {
        let hits = 0;
        for (let q = 0; q < QUERIES; q++) {
          const k = q << 2;
          if (index.matchV6(words[k]!, words[k + 1]!, words[k + 2]!, words[k + 3]!) >= 0) hits++;
        }
        return hits;
      }, QUERIES)
    : rate(() => {
        let hits = 0;
        for (let q = 0; q < QUERIES; q++) if (index.matchV4(words[q]!) >= 0) hits++;
        return hits;
      }, QUERIES);
  const byText = rate(() => {
    let hits = 0;
    for (let q = 0; q < QUERIES; q++) if (index.matchAddress(text[q]!) >= 0) hits++;
    return hits;
  }, QUERIES);
  return { numeric, text: byText };
}

/** The same number of queries drawn from only `distinct` addresses: a fleet talking to a few endpoints. */
function hot(set: QuerySet, v6: boolean, distinct: number): QuerySet {
  const width = v6 ? 4 : 1;
  const words = new Uint32Array(set.words.length);
  for (let q = 0; q < QUERIES; q++) {
    for (let w = 0; w < width; w++) words[q * width + w] = set.words[(q % distinct) * width + w]!;
  }
  return { words, text: set.text.map((_, q) => set.text[q % distinct]!) };
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function naiveMatch(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]): number {
  let best = -1;
  for (const [net, bits] of ranges) if (bits > best && address.match(net, bits)) best = bits;
  return best;
}

function naive(ranges: readonly Range[], set: { text: string[] }): { numeric: Rate; text: Rate } {
  const sample = set.text.slice(0, 2_000);
  const parsed = sample.map((text) => ipaddr.parse(text));
  const numeric = rate(() => {
    let hits = 0;
    for (const address of parsed) if (naiveMatch(address, ranges) >= 0) hits++;
    return hits;
  }, parsed.length);
  const byText = rate(() => {
    let hits = 0;
    for (const text of sample) if (naiveMatch(ipaddr.parse(text), ranges) >= 0) hits++;
    return hits;
  }, sample.length);
  return { numeric, text: byText };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const row = (label: string, mine: Rate, peer: Rate | undefined): string =>
  `| ${label} | ${fmt(mine.cpu)} | ${fmt(mine.wall)} | ${peer ? fmt(peer.cpu) : '–'} | ${peer ? `${fmt(mine.cpu / peer.cpu)}×` : '–'} |\n`;

process.stdout.write(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' / ',
    )}. Rates per CPU-second are the one-core figures; wall-clock rates also count time spent waiting for a core.\n`,
);
// A yardstick for this machine, measured the same way: a binary search over 1,024 cached sorted
// numbers (ten probes, no memory misses), so figures from different machines can be compared.
{
  const sorted = new Uint32Array(1024).map(() => u32()).sort();
  const probes = new Uint32Array(QUERIES).map(() => u32());
  const yardstick = rate(() => {
    let sum = 0;
    for (let q = 0; q < QUERIES; q++) {
      const x = probes[q]!;
      let lo = 0;
      let hi = 1024;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      sum += lo;
    }
    return sum;
  }, QUERIES);
  process.stdout.write(`yardstick: binary search over 1,024 cached numbers: ${fmt(yardstick.cpu)} /CPU-s\n`);
}
const mixed = generate(PREFIXES, 0.4);
const loaded = await load(mixed);
const stats = loaded.index.stats();
const naiveLines = mixed.slice(0, NAIVE_PREFIXES);
const naiveV4 = naiveLines
  .filter((l) => !l.includes(':'))
  .map((l) => ipaddr.parseCIDR(l.includes('/') ? l : `${l}/32`));
const naiveV6 = naiveLines
  .filter((l) => l.includes(':'))
  .map((l) => ipaddr.parseCIDR(l.includes('/') ? l : `${l}/128`));

process.stdout.write(
  `prefixes: ${fmt(PREFIXES)} mixed (${fmt(stats.entries)} loaded; ${fmt(stats.intervalsV4)} IPv4 and ${fmt(stats.intervalsV6)} IPv6 intervals)\n` +
    `load: parse ${fmt(loaded.parseMs)} ms + build ${fmt(loaded.buildMs)} ms = ${fmt(loaded.parseMs + loaded.buildMs)} ms wall ` +
    `(${fmt(loaded.cpuMs)} ms CPU)\n` +
    `memory per prefix, measured after forced GC: ${(loaded.bufferBytes / PREFIXES).toFixed(1)} B of array buffers ` +
    `+ ${(loaded.heapBytes / PREFIXES).toFixed(1)} B of JS heap (noisy: other garbage comes and goes); ` +
    `typed arrays exactly ${((stats.tableBytes + stats.entryBytes) / PREFIXES).toFixed(1)} B ` +
    `(${(stats.tableBytes / PREFIXES).toFixed(1)} lookup tables + ${(stats.entryBytes / PREFIXES).toFixed(1)} entries)\n\n`,
);
process.stdout.write(
  `| lookup | Vigil, ${fmt(PREFIXES)} prefixes, /CPU-s | Vigil, /wall-s | naive ipaddr.js, ${fmt(NAIVE_PREFIXES)} prefixes, /CPU-s | ratio (CPU) |\n|---|---|---|---|---|\n`,
);
for (const v6 of [false, true]) {
  const set = queries(mixed, v6);
  const mine = ours(loaded.index, v6, set);
  const peer = naive(v6 ? naiveV6 : naiveV4, set);
  const family = v6 ? 'IPv6' : 'IPv4';
  process.stdout.write(row(`${family}, numeric (naive: pre-parsed)`, mine.numeric, peer.numeric));
  process.stdout.write(row(`${family}, text`, mine.text, peer.text));
  const warm = ours(loaded.index, v6, hot(set, v6, 4096));
  process.stdout.write(row(`${family}, numeric, 4,096 distinct addresses`, warm.numeric, undefined));
  process.stdout.write(row(`${family}, text, 4,096 distinct addresses`, warm.text, undefined));
}

const v4Only = generate(PREFIXES, 0);
const loadedV4 = await load(v4Only);
const v4Set = queries(v4Only, false);
const v4Rate = ours(loadedV4.index, false, v4Set);
const v4Stats = loadedV4.index.stats();
process.stdout.write(
  `\n${fmt(PREFIXES)} IPv4-only prefixes (${fmt(v4Stats.intervalsV4)} intervals): ${fmt(v4Rate.numeric.cpu)} lookups/CPU-s numeric ` +
    `(${fmt(v4Rate.numeric.wall)} /wall-s), ${fmt(v4Rate.text.cpu)} /CPU-s text; ` +
    `load ${fmt(loadedV4.parseMs + loadedV4.buildMs)} ms wall (${fmt(loadedV4.cpuMs)} ms CPU); ` +
    `${(loadedV4.bufferBytes / PREFIXES).toFixed(1)} B/prefix of array buffers + ${(loadedV4.heapBytes / PREFIXES).toFixed(1)} B of heap after GC, ` +
    `${((v4Stats.tableBytes + v4Stats.entryBytes) / PREFIXES).toFixed(1)} B/prefix in typed arrays\n`,
);
