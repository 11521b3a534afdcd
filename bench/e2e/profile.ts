/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) into the few lines a benchmark reports:
 * the functions with the most self time, and how much of the profile was idle, garbage collection
 * or program (native) code.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One function's share of the sampled time. */
export interface ProfileEntry {
  readonly name: string;
  /** Share of busy (non-idle) time, 0–1. */
  readonly share: number;
}

/** What a profile says about where time went. */
export interface ProfileSummary {
  /** Share of the wall time the process was busy (not idle), 0–1. */
  readonly busy: number;
  readonly gc: number;
  readonly top: readonly ProfileEntry[];
}

const ROOT = join(import.meta.dirname, '..', '..');

function label(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  const path = frame.url.startsWith('file://') ? relative(ROOT, new URL(frame.url).pathname) : frame.url;
  // tsx-compiled sources report line 1; the function name and file are what locate them.
  return frame.lineNumber > 0 ? `${name} ${path}:${frame.lineNumber + 1}` : `${name} ${path}`;
}

/** Summarises a `.cpuprofile` file. */
export function summariseProfile(file: string, topN = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let gc = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] ?? -1);
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    if (node === undefined) continue;
    const name = label(node.callFrame);
    if (name === '(idle)') {
      idle += delta;
      continue;
    }
    if (name === '(garbage collector)') gc += delta;
    self.set(name, (self.get(name) ?? 0) + delta);
  }
  const busy = total - idle;
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([name, time]) => ({ name, share: busy > 0 ? time / busy : 0 }));
  return { busy: total > 0 ? busy / total : 0, gc: busy > 0 ? gc / busy : 0, top };
}
