/**
 * Seedable randomness for the core (the first-collection splay), so tests are deterministic.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** A deterministic generator (mulberry32) for tests and reproducible runs. */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
