/**
 * Crash durability of the agent: a real agent process (./support/agent-child.ts) collects while the
 * hub is down and is SIGKILLed — no stop(), no flush — then restarted on the same data directory
 * while the hub is still down; once the hub is back on its data directory and port, every event
 * the killed process collected is in the ingest log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../hub/support/hub-fixture.js';
import {
  deliveredEvents,
  registerSecurityModule,
  startAgentHub,
  tempDir,
  type AgentTestHub,
} from './support/agent-hub.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Status {
  readonly emitted: number;
  readonly state: string;
  readonly queuedEvents: number;
  readonly unsavedMessages: number;
  readonly diskRecords: number;
}

/** A running agent child and what it reported so far. */
interface AgentChild {
  readonly process: ChildProcess;
  readonly emitted: string[];
  status: Status | undefined;
  stderr: string;
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

const children: AgentChild[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startChild(connectionString: string, dataDir: string, events: number): AgentChild {
  const proc = spawn(
    process.execPath,
    ['--conditions=@vigil/source', '--import', 'tsx', 'test/agent/support/agent-child.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        VIGIL_TEST_CONNECTION_STRING: connectionString,
        VIGIL_TEST_DATA_DIR: dataDir,
        VIGIL_TEST_EVENTS: String(events),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const child: AgentChild = {
    process: proc,
    emitted: [],
    status: undefined,
    stderr: '',
    exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code))),
  };
  let pending = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const value = JSON.parse(line) as { emitted?: string; status?: Status };
      if (value.emitted !== undefined) child.emitted.push(value.emitted);
      if (value.status !== undefined) child.status = value.status;
    }
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    // Bounded: only the tail matters when a child dies unexpectedly.
    child.stderr = (child.stderr + chunk.toString()).slice(-8_000);
  });
  children.push(child);
  return child;
}

/** `check` of the child's latest status, failing at once (with its stderr) if the child died. */
function statusOf(child: AgentChild, check: (s: Status) => boolean): true | undefined {
  if (child.process.exitCode !== null) throw new Error(`agent child exited: ${child.stderr}`);
  return child.status !== undefined && check(child.status) ? true : undefined;
}

/**
 * Waits for `check` of the child, naming the step and the child's last status when it times out.
 * Generous: a child process starting TypeScript sources on a loaded 2-core machine is slow.
 */
async function childReaches(step: string, child: AgentChild, check: (s: Status) => boolean): Promise<void> {
  try {
    await eventually(() => statusOf(child, check), 60_000);
  } catch (error) {
    throw new Error(
      `${step}: ${(error as Error).message}; last status ${JSON.stringify(child.status)}, ` +
        `${child.emitted.length} emitted; stderr: ${child.stderr.slice(-2_000)}`,
    );
  }
}

describe('agent crash durability', () => {
  it(
    'a SIGKILLed agent loses nothing it collected while the hub was down; a restarted agent delivers it all',
    { timeout: 300_000 },
    async () => {
      const first: AgentTestHub = await startAgentHub();
      const { dataDir, port } = first;
      let hubUp = true;
      cleanups.push(() => (hubUp ? first.stop() : undefined));
      const connectionString = await registerSecurityModule(first, 'dev-crash');
      const dir = tempDir('vigil-agent-crash-');
      cleanups.push(() => dir.remove());

      const collected = 40;
      const a1 = startChild(connectionString, dir.path, collected);
      await childReaches('first agent connects', a1, (s) => s.state === 'ACTIVE');
      await first.stop();
      hubUp = false;
      // All events collected, the hub known to be gone, nothing left only in memory (neither queued
      // nor built and waiting for its fsync): the moment the durability point promises. With the twin's PT7M message frequency nothing was sent yet.
      await childReaches(
        'first agent has everything on disk',
        a1,
        (s) =>
          s.emitted === collected && s.state !== 'ACTIVE' && s.queuedEvents === 0 && s.unsavedMessages === 0,
      );
      expect(a1.status!.diskRecords).toBeGreaterThan(0);
      a1.process.kill('SIGKILL');
      expect(await a1.exited).toBe('SIGKILL');

      // Restarted on the same data directory, the hub still down: it reads the buffer and keeps collecting.
      const a2 = startChild(connectionString, dir.path, 5);
      await childReaches(
        'restarted agent reads the buffer and collects',
        a2,
        (s) => s.emitted === 5 && s.queuedEvents === 0 && s.unsavedMessages === 0 && s.diskRecords > 0,
      );

      const second = await startAgentHub({ dataDir, port });
      cleanups.push(() => second.stop());
      const wanted = [...a1.emitted, ...a2.emitted];
      let left: string[] = wanted;
      await eventually(async () => {
        const got = new Set((await deliveredEvents(second.hub, 'dev-crash')).map((e) => e.id));
        left = wanted.filter((id) => !got.has(id));
        return left.length === 0 ? true : undefined;
      }, 60_000).catch(() => undefined);
      const where = left.map((id) =>
        a1.emitted.includes(id) ? `first#${a1.emitted.indexOf(id)}` : `restarted#${a2.emitted.indexOf(id)}`,
      );
      expect(
        where,
        `restarted agent: ${JSON.stringify(a2.status)}; first: ${a1.stderr.slice(-3_000)}; restarted: ${a2.stderr.slice(-3_000)}`,
      ).toEqual([]);
      expect(a2.status!.state).toBe('ACTIVE');
    },
  );
});
