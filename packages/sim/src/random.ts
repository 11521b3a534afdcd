/** A deterministic source of randomness, so a simulated fleet replays exactly with the same seed. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A version-4-shaped GUID (36 characters), as the agents put in `AgentId` and event `Id`. */
  guid(): string;
  /** An independent stream derived from this one (one per device, so devices don't perturb each other). */
  fork(label: string): Random;
}

/**
 * A seeded generator (mulberry32: small, fast, good enough for simulation; not for secrets).
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (digits: number): string => {
    let text = '';
    for (let i = 0; i < digits; i += 1) text += int(0, 15).toString(16);
    return text;
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    chance: (p) => next() < p,
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
    fork: (label) => createRandom(hashLabel(label, int(0, 0xffffffff))),
  };
}

function hashLabel(label: string, salt: number): number {
  let hash = salt ^ 0x811c9dc5;
  for (let i = 0; i < label.length; i += 1) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
