/**
 * The time source of the agent core: a wall clock plus one-shot timers. Everything in the core reads
 * time and waits through this interface, so tests drive hours of agent life with a fake clock and no
 * real sleeps.
 */

/** A scheduled callback that can be cancelled; cancelling a fired or cancelled timer does nothing. */
export interface Timer {
  cancel(): void;
}

/** Wall-clock time and one-shot timers. */
export interface Clock {
  /** Epoch milliseconds UTC. */
  now(): number;
  /** Runs `callback` once after `delayMs` (clamped to ≥ 0). */
  setTimer(callback: () => void, delayMs: number): Timer;
}

/** The real clock: `Date.now()` and Node timers, unref'd so a pending timer never keeps Node alive. */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(callback, delayMs) {
      const handle = setTimeout(callback, Math.max(0, delayMs));
      handle.unref();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}
