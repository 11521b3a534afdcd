import { describe, expect, it } from 'vitest';
import { baseContext, heartbeat, scriptedCollector } from './__fixtures__/test-collectors.js';
import { createFakeClock } from './fake-clock.js';
import { createSeededRandom } from './random.js';
import { createScheduler, type CollectionRun } from './scheduler.js';

const T0 = Date.UTC(2026, 0, 1);

function setup(durations: { high?: number; low?: number } = {}) {
  const clock = createFakeClock(T0);
  const high = scriptedCollector({
    id: 'net',
    priority: 'High',
    clock,
    durationMs: durations.high,
    events: (c) => [heartbeat(c)],
  });
  const low = scriptedCollector({ id: 'sys', priority: 'Low', clock, durationMs: durations.low });
  const runs: CollectionRun[] = [];
  const scheduler = createScheduler({
    clock,
    collectors: [low, high],
    context: baseContext(),
    random: createSeededRandom(42),
    onResult: (r) => runs.push(r),
    timeoutMs: 5_000,
  });
  return { clock, high, low, runs, scheduler };
}

describe('scheduler', () => {
  it('first collects 30–89 s after start, then every group interval (10 s High, 60 s Low)', async () => {
    const { clock, high, low, scheduler } = setup();
    scheduler.start();
    await clock.advance(200_000);
    const first = high.starts[0]! - T0;
    expect(first).toBeGreaterThanOrEqual(30_000);
    expect(first).toBeLessThan(90_000);
    expect(low.starts[0]).toBe(high.starts[0]);
    expect(high.starts.slice(0, 4).map((t) => t - high.starts[0]!)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(low.starts.map((t) => t - low.starts[0]!)).toEqual(low.starts.map((_, i) => i * 60_000));
  });

  it('spreads the first collection differently for different seeds, and the same for the same seed', () => {
    const firstDue = (seed: number) => {
      const clock = createFakeClock(T0);
      const c = scriptedCollector({ id: 'x', priority: 'High', clock });
      const s = createScheduler({
        clock,
        collectors: [c],
        context: baseContext(),
        random: createSeededRandom(seed),
        onResult: () => undefined,
      });
      s.start();
      return s.stats('x')!.nextDueAt! - T0;
    };
    const firsts = [1, 2, 3, 4, 5, 6, 7, 8].map(firstDue);
    expect(new Set(firsts).size).toBeGreaterThan(4);
    expect(firsts.every((f) => f >= 30_000 && f < 90_000)).toBe(true);
    expect(firstDue(3)).toBe(firsts[2]);
  });

  it('hands events to onResult with the run interval in the context', async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.start();
    await clock.advance(90_000);
    const net = runs.find((r) => r.collectorId === 'net')!;
    expect(net.result.events).toHaveLength(1);
    expect(net.priority).toBe('High');
    expect(net.timedOut).toBe(false);
  });

  it('never overlaps runs of one collector: a slow run makes the next due moment skip', async () => {
    const { clock, low, high, scheduler } = setup({ high: 15_000 });
    scheduler.start();
    await clock.advance(90_000 + 60_000);
    // Each run takes 15 s with a 10 s interval: every other due moment is skipped.
    const gaps = high.starts.slice(1).map((t, i) => t - high.starts[i]!);
    expect(gaps.every((g) => g === 20_000)).toBe(true);
    expect(scheduler.stats('net')!.overlapsSkipped).toBeGreaterThan(0);
    expect(low.starts.length).toBeGreaterThan(0);
  });

  it('times a hung collector out: its signal aborts, an ABORTED error is reported, no second run starts', async () => {
    const { clock, high, runs, scheduler } = setup({ high: Infinity });
    scheduler.start();
    await clock.advance(90_000);
    const start = high.starts[0]!;
    await clock.advance(start + 5_000 - clock.now());
    expect(high.signals[0]!.aborted).toBe(true);
    const timedOut = runs.filter((r) => r.collectorId === 'net');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]!.timedOut).toBe(true);
    expect(timedOut[0]!.result.errors[0]!.code).toBe('ABORTED');
    await clock.advance(60_000);
    expect(high.starts).toHaveLength(1);
    expect(scheduler.stats('net')!.timeouts).toBe(1);
  });

  it('a run that ends after its timeout does not deliver late events', async () => {
    const { clock, runs, scheduler } = setup({ high: 7_000 });
    scheduler.start();
    await clock.advance(120_000);
    const net = runs.filter((r) => r.collectorId === 'net');
    expect(net.length).toBeGreaterThan(1);
    expect(net.every((r) => r.timedOut && r.result.events.length === 0)).toBe(true);
  });

  it('disabled collectors do not run; re-enabled ones resume', async () => {
    const { clock, high, low, scheduler } = setup();
    scheduler.setEnabled('net', false);
    scheduler.start();
    await clock.advance(100_000);
    expect(high.starts).toHaveLength(0);
    expect(low.starts.length).toBeGreaterThan(0);
    scheduler.setEnabled('net', true);
    await clock.advance(25_000);
    expect(high.starts.length).toBeGreaterThanOrEqual(2);
  });

  it('applies interval changes live', async () => {
    const { clock, high, scheduler } = setup();
    scheduler.start();
    await clock.advance(90_000);
    const before = high.starts.length;
    scheduler.setIntervals({ High: 1_000 });
    await clock.advance(10_000);
    expect(high.starts.length - before).toBeGreaterThanOrEqual(9);
    const last = high.starts.at(-1)!;
    expect(last - high.starts.at(-2)!).toBe(1_000);
  });

  it('stop() aborts runs in flight and nothing runs until start()', async () => {
    const { clock, high, runs, scheduler } = setup({ high: 2_000 });
    scheduler.start();
    await clock.advance(scheduler.stats('net')!.nextDueAt! - T0 + 1_500);
    const inFlight = high.signals.at(-1)!;
    scheduler.stop();
    expect(inFlight.aborted).toBe(true);
    const count = high.starts.length;
    const delivered = runs.length;
    await clock.advance(300_000);
    expect(high.starts).toHaveLength(count);
    expect(runs).toHaveLength(delivered);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('moves a collector to another priority group live, and honours Medium (30 s)', async () => {
    const { clock, low, scheduler } = setup();
    scheduler.start();
    await clock.advance(scheduler.stats('sys')!.nextDueAt! - T0);
    scheduler.setPriority('sys', 'Medium');
    await clock.advance(90_000);
    expect(low.starts.map((t) => t - low.starts[0]!)).toEqual([0, 30_000, 60_000, 90_000]);
  });
});
