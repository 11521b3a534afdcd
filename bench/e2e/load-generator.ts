/**
 * The load generator seen from the orchestrator: several worker processes (load-worker.ts), each
 * with a contiguous slice of the devices, driven together and summed.
 */
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './child.js';
import type { TargetAddress, WorkerCounters, WorkerJob } from './load-worker.js';
import type { MessageKind } from './messages.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Options of {@link startLoad}. */
export interface LoadOptions {
  readonly target: TargetAddress;
  readonly group: string;
  readonly devices: number;
  readonly workers: number;
  readonly kind?: MessageKind;
  readonly window?: number;
  readonly localAddresses?: readonly string[];
  /** CONNECTs awaiting CONNACK at once, per worker. */
  readonly connectConcurrency?: number;
}

/** Summed worker counters at one instant. */
export interface LoadSample extends WorkerCounters {
  /** `performance.now()` when the sample was taken. */
  readonly at: number;
}

/** A started generator. */
export interface Load {
  readonly devices: number;
  /** Connects until `upTo` devices were tried (or `timeBoxMs` passed); resolves with the sample then. */
  connect(upTo: number, timeBoxMs: number): Promise<LoadSample>;
  /** Starts publishing on every connected device (null: as fast as acknowledged; else messages/s in total). */
  go(ratePerSecond: number | null): Promise<void>;
  sample(): Promise<LoadSample>;
  close(): Promise<LoadSample>;
}

function sum(samples: readonly WorkerCounters[]): LoadSample {
  const total = { at: performance.now(), connected: 0, refused: 0, failed: 0, sent: 0, acked: 0 };
  for (const s of samples) {
    total.connected += s.connected;
    total.refused += s.refused;
    total.failed += s.failed;
    total.sent += s.sent;
    total.acked += s.acked;
  }
  return total;
}

/** Starts the worker processes and hands each its slice; nothing is connected yet. */
export async function startLoad(options: LoadOptions): Promise<Load> {
  const workers: Child[] = [];
  const slices: number[] = [];
  const per = Math.ceil(options.devices / options.workers);
  for (let w = 0; w < options.workers; w++) {
    const first = w * per;
    const count = Math.max(0, Math.min(per, options.devices - first));
    if (count === 0) break;
    const child = startChild(WORKER);
    workers.push(child);
    slices.push(count);
    const job: WorkerJob = {
      target: options.target,
      group: options.group,
      first,
      count,
      kind: options.kind ?? 'json',
      window: options.window ?? 16,
      localAddresses: options.localAddresses ?? ['127.0.0.1'],
      connectConcurrency: options.connectConcurrency ?? 64,
    };
    await child.call('prepare', job);
  }
  const sample = async (): Promise<LoadSample> =>
    sum(await Promise.all(workers.map((w) => w.call<WorkerCounters>('counters'))));
  return {
    devices: options.devices,
    async connect(upTo, timeBoxMs) {
      // Spread the target over the workers in proportion to their slices.
      let left = upTo;
      await Promise.all(
        workers.map((w, i) => {
          const share = Math.min(slices[i] ?? 0, Math.ceil(upTo / workers.length), left);
          left -= share;
          return w.call('connect', share);
        }),
      );
      const deadline = performance.now() + timeBoxMs;
      for (;;) {
        const now = await sample();
        if (now.connected + now.refused + now.failed >= upTo || now.at >= deadline) return now;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async go(ratePerSecond) {
      await Promise.all(
        workers.map((w) => w.call('go', ratePerSecond === null ? null : ratePerSecond / workers.length)),
      );
    },
    sample,
    async close() {
      const final = sum(await Promise.all(workers.map((w) => w.call<WorkerCounters>('close'))));
      for (const w of workers) w.process.disconnect();
      await Promise.all(workers.map((w) => w.exited));
      return final;
    },
  };
}

/** Messages/s acknowledged over a window of `seconds`, after `warmupSeconds` of load. */
export async function measureAckRate(
  load: Load,
  seconds: number,
  warmupSeconds: number,
  during?: { readonly start: () => Promise<void>; readonly end: () => Promise<void> },
): Promise<{ readonly rate: number; readonly acked: number; readonly seconds: number }> {
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  const start = await load.sample();
  await during?.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = await load.sample();
  await during?.end();
  const elapsed = (end.at - start.at) / 1000;
  return { rate: (end.acked - start.acked) / elapsed, acked: end.acked - start.acked, seconds: elapsed };
}
