/** Test helper: seeded random values and mutations of JSON messages, for the randomized tests. */

/** mulberry32: a tiny deterministic PRNG, so every run explores the same inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let deep: Json = 'bottom';
for (let i = 0; i < 5_000; i += 1) deep = i % 2 ? [deep] : { k: deep };

const WORDS = [
  'Periodic',
  'Triggered',
  'Aggregated',
  'Security',
  'Operational',
  'Diagnostic',
  'ConnectionCreate',
  'Login',
  'ProcessCreate',
  'ListeningPorts',
  'SystemInformation',
  'In',
  'Out',
  'tcp6',
  '1.0',
  '2.0',
  '::1',
  '10.0.0.1',
  '2019-01-27T15:48:52',
  '2019-01-27T15:48:52Z',
  '2019-02-29T00:00:00Z',
  '__proto__',
  'constructor',
  'toString',
  '',
  '\u0000',
  '\uD800',
  '😀',
  'x'.repeat(36),
  'é'.repeat(1000),
];

/** Seeded generators: replacement values, structural mutants (sharing untouched branches) and damaged bytes. */
export function createMutator(seed: number): {
  readonly random: () => number;
  readonly randomValue: () => Json;
  readonly mutate: (value: Json) => Json;
  readonly mutateBytes: (text: string) => Uint8Array;
  readonly pick: <T>(items: readonly T[]) => T;
} {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  /** A replacement value: wrong types, boundary numbers, hostile strings, deep nesting. */
  function randomValue(): Json {
    switch (Math.floor(random() * 12)) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return pick([0, -0, 1.5, -1, 2 ** 53, 1e308, -1e308, 4294967296, Number.MIN_VALUE]);
      case 3:
        return pick(WORDS);
      case 4:
        return String.fromCharCode(
          ...Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 0xffff)),
        );
      case 5:
        return [];
      case 6:
        return {};
      case 7:
        return deep;
      case 8:
        return [randomValue(), randomValue()];
      case 9:
        return { [pick(WORDS)]: randomValue() };
      case 10:
        return Math.floor(random() * 70000);
      default:
        return pick(WORDS);
    }
  }

  /** Returns a copy of `value` with one random edit somewhere below it; untouched branches are shared. */
  function mutate(value: Json): Json {
    const descend = random() < 0.75;
    if (Array.isArray(value)) {
      if (value.length > 0 && descend) {
        const at = Math.floor(random() * value.length);
        const copy = value.slice();
        copy[at] = mutate(value[at]!);
        return copy;
      }
      const copy = value.slice();
      const op = Math.floor(random() * 4);
      if (op === 0 && copy.length > 0) copy.splice(Math.floor(random() * copy.length), 1);
      else if (op === 1 && copy.length > 0) copy.push(...copy.slice(0, 1 + Math.floor(random() * 40)));
      else if (op === 2) copy.push(randomValue());
      else return randomValue();
      return copy;
    }
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length > 0 && descend) {
        const key = pick(keys);
        return { ...value, [key]: mutate(value[key]!) };
      }
      const copy = { ...value };
      const op = Math.floor(random() * 3);
      if (op === 0 && keys.length > 0) delete copy[pick(keys)];
      else if (op === 1) copy[pick(WORDS)] = randomValue();
      else return randomValue();
      return copy;
    }
    // Leaves: half the time a value of the same type, so mutants also land on the valid side.
    if (random() < 0.5) {
      if (typeof value === 'string') return pick(WORDS);
      if (typeof value === 'number') return pick([0, 1, -1, 2 ** 31, 1.5, 1e308]);
    }
    return randomValue();
  }

  /** Byte-level damage to a serialised message: flips, cuts, splices, deep brackets, invalid UTF-8. */
  function mutateBytes(text: string): Uint8Array {
    let s = text;
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e += 1) {
      const at = Math.floor(random() * (s.length + 1));
      const op = Math.floor(random() * 6);
      if (op === 0)
        s =
          s.slice(0, at) +
          pick(['{', '}', '[', ']', ',', ':', '"', '\\', '1e999', '-', 'null']) +
          s.slice(at);
      else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 8));
      else if (op === 2) s = s.slice(0, at);
      else if (op === 3) s = s.slice(0, at) + '['.repeat(2_000) + ']'.repeat(2_000) + s.slice(at);
      else if (op === 4) s = s.slice(0, at) + JSON.stringify(pick(WORDS)) + s.slice(at);
      else s = s.slice(0, at) + s.slice(Math.floor(random() * s.length));
    }
    const bytes = new TextEncoder().encode(s);
    if (random() < 0.1 && bytes.length > 0)
      bytes[Math.floor(random() * bytes.length)] = 0x80 + Math.floor(random() * 0x80);
    return bytes;
  }

  return { random, randomValue, mutate, mutateBytes, pick };
}
