/**
 * One time-boxed throughput step: point the generator at a target, connect every device, let it
 * warm up, then measure acknowledged messages/s — and, for Vigil, what analytics finished in the
 * same window — with the target's CPU time and, where it is a Node process, its CPU profile.
 */
import { join } from 'node:path';
import { residentBytes } from './child.js';
import { startLoad, type LoadSample } from './load-generator.js';
import type { MessageKind } from './messages.js';
import { summariseProfile, type ProfileSummary } from './profile.js';
import { cpuSeconds, type RunningTarget, type VigilStats } from './targets/index.js';

/** The shape of the load of a step. */
export interface StepLoad {
  readonly devices: number;
  readonly workers: number;
  readonly window: number;
  readonly kind: MessageKind;
  readonly warmupSeconds: number;
  readonly seconds: number;
}

/** What one step measured. */
export interface StepResult {
  readonly target: string;
  readonly connected: number;
  /** Connections the target closed during the step. */
  readonly dropped: number;
  /** PUBACKs per second (for Vigil: durably appended to the ingest log). */
  readonly ackRate: number;
  /** Device messages analytics finished per second in the same window (Vigil server only). */
  readonly processedRate?: number;
  /** Security events analytics stored per second (Vigil server only). */
  readonly eventsRate?: number;
  /** Analytics' units of work (transactions, fsyncs) committed per second (Vigil server only). */
  readonly unitsRate?: number;
  /** The server's event-loop delay in the window (p99 and max, ms). */
  readonly loopDelayMs?: { readonly p99: number; readonly max: number };
  /** Target CPU seconds per acknowledged message × 1e6. */
  readonly cpuMicrosPerMessage: number;
  readonly rss: number;
  readonly profile?: ProfileSummary;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function vigilStats(target: RunningTarget): Promise<VigilStats | undefined> {
  return target.endpoints === undefined ? undefined : target.child?.call<VigilStats>('stats');
}

/** Runs one step; the target keeps running (the caller stops it). */
export async function runStep(
  target: RunningTarget,
  shape: StepLoad,
  options: { readonly group: string; readonly profileDir?: string },
): Promise<StepResult> {
  const load = await startLoad({
    target: target.address,
    group: options.group,
    devices: shape.devices,
    workers: shape.workers,
    window: shape.window,
    kind: shape.kind,
  });
  try {
    const connected = await load.connect(shape.devices, 20_000);
    if (connected.connected === 0) throw new Error(`${target.name}: no device could connect`);
    await load.go(null);
    await sleep(shape.warmupSeconds * 1000);
    const profileFile =
      options.profileDir === undefined || target.child === undefined
        ? undefined
        : join(
            options.profileDir,
            `${target.name.replaceAll(' ', '-')}-${shape.kind}-${Date.now()}.cpuprofile`,
          );
    if (profileFile !== undefined) await target.child?.call('profileStart');
    const before: [LoadSample, VigilStats | undefined, number] = [
      await load.sample(),
      await vigilStats(target),
      await cpuSeconds(target.pid),
    ];
    await sleep(shape.seconds * 1000);
    const after: [LoadSample, VigilStats | undefined, number] = [
      await load.sample(),
      await vigilStats(target),
      await cpuSeconds(target.pid),
    ];
    if (profileFile !== undefined) await target.child?.call('profileStop', profileFile);
    const elapsed = (after[0].at - before[0].at) / 1000;
    const acked = after[0].acked - before[0].acked;
    const [statsBefore, statsAfter] = [before[1], after[1]];
    return {
      target: target.name,
      connected: connected.connected,
      ackRate: acked / elapsed,
      ...(statsAfter === undefined
        ? {}
        : { loopDelayMs: { p99: statsAfter.loopDelayP99Ms, max: statsAfter.loopDelayMaxMs } }),
      ...(statsBefore === undefined || statsAfter === undefined || target.endpoints?.apiUrl === null
        ? {}
        : {
            processedRate:
              (statsAfter.records - statsAfter.operations - (statsBefore.records - statsBefore.operations)) /
              elapsed,
            eventsRate: (statsAfter.eventsRecorded - statsBefore.eventsRecorded) / elapsed,
            unitsRate: (statsAfter.units - statsBefore.units) / elapsed,
          }),
      dropped: connected.connected - after[0].connected,
      cpuMicrosPerMessage: acked > 0 ? ((after[2] - before[2]) / acked) * 1e6 : 0,
      rss: await residentBytes(target.pid),
      ...(profileFile === undefined ? {} : { profile: summariseProfile(profileFile) }),
    };
  } finally {
    await load.close();
  }
}
