import { describe, expect, it } from 'vitest';
import { ExpirySchedule } from './expiry-schedule.js';

interface Fake {
  readonly name: string;
  expirySlot: number;
}

const session = (name: string): Fake => ({ name, expirySlot: 0 });

describe('the SAS expiry schedule', () => {
  it('expires what is due, never what was removed, and keeps later expiries waiting on one timer', async () => {
    let clock = 10_000;
    const expired: string[] = [];
    let onExpire = (): void => undefined;
    const schedule = new ExpirySchedule<Fake>(
      () => clock,
      (s) => {
        expired.push(s.name);
        onExpire();
      },
    );
    const [a, b, c, d] = [session('a'), session('b'), session('c'), session('d')];
    let fired = new Promise<void>((resolve) => (onExpire = resolve));
    schedule.add(a, 9_000);
    schedule.add(b, 50_000);
    schedule.add(c, 9_500);
    schedule.remove(c);
    await fired;
    expect(expired).toEqual(['a']);
    expect(schedule.size).toBe(1);
    expect([a.expirySlot, c.expirySlot]).toEqual([0, 0]);

    // Time passes beyond b's expiry; a new, already expired session brings the timer forward.
    clock = 60_000;
    let count = 0;
    fired = new Promise<void>((resolve) => (onExpire = () => ++count === 2 && resolve()));
    schedule.add(d, 1_000);
    await fired;
    expect(expired.slice(1).sort()).toEqual(['b', 'd']);
    expect(schedule.size).toBe(0);
    schedule.close();
  });

  it('moves a session that is added again to its new slot', () => {
    const schedule = new ExpirySchedule<Fake>(
      () => 0,
      () => undefined,
    );
    const a = session('a');
    schedule.add(a, 5_000_000);
    schedule.add(a, 9_000_000);
    expect(schedule.size).toBe(1);
    schedule.remove(a);
    expect(schedule.size).toBe(0);
    schedule.close();
  });
});
