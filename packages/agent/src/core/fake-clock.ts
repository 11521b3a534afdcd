/**
 * A manual clock for tests: time moves only when the test calls `advance`, and timers fire in due
 * order with pending promise work flushed after each one, so async reactions to a timer happen
 * "at" that timer's time.
 */
import type { Clock, Timer } from './clock.js';

/** A {@link Clock} whose time only moves when told. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Number of timers waiting to fire. */
  pendingTimers(): number;
}

interface Scheduled {
  readonly seq: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets queued promise callbacks (and their follow-ups) run before time moves on. */
export async function flushMicrotasks(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A fake clock starting at `startMs` (default 2026-01-01T00:00:00Z). */
export function createFakeClock(startMs = Date.UTC(2026, 0, 1)): FakeClock {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, Scheduled>();

  function nextDue(limit: number): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const t of timers.values()) {
      if (t.due > limit) continue;
      if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  return {
    now: () => now,
    setTimer(callback, delayMs): Timer {
      seq += 1;
      const id = seq;
      timers.set(id, { seq: id, due: now + Math.max(0, delayMs), callback });
      return { cancel: () => void timers.delete(id) };
    },
    async advance(ms) {
      const target = now + ms;
      await flushMicrotasks();
      for (let t = nextDue(target); t !== undefined; t = nextDue(target)) {
        timers.delete(t.seq);
        now = t.due;
        t.callback();
        await flushMicrotasks();
      }
      now = target;
    },
    pendingTimers: () => timers.size,
  };
}
