import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkFlow, SecurityEvent } from '@vigil/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectorContext } from '../collectors/index.js';
import { createMockHubSender, type MockHubSender } from './__fixtures__/mock-hub-sender.js';
import {
  baseContext,
  heartbeat,
  scriptedCollector,
  type ScriptedCollector,
} from './__fixtures__/test-collectors.js';
import { createAgentCore, type AgentCore } from './agent-core.js';
import type { AgentCoreConfigurationPatch } from './configuration.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { createMemoryLogger } from './logger.js';
import { createSeededRandom } from './random.js';
import type { StateTransition } from './state-machine.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-agent-core-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function listeningPorts(c: CollectorContext): SecurityEvent {
  return {
    ...heartbeat(c),
    kind: 'listening-ports',
    name: 'ListeningPorts',
    ports: [{ protocol: 'tcp', localPort: '22' }],
  };
}

function flows(c: CollectorContext, count: number): SecurityEvent {
  const list: NetworkFlow[] = Array.from({ length: count }, (_, i) => ({
    ipVersion: 4,
    protocol: 'tcp',
    localAddress: '10.0.0.2',
    localPort: String(40_000 + i),
    remoteAddress: '1.1.1.1',
    remotePort: '443',
    bytesOut: 10,
  }));
  return {
    ...heartbeat(c),
    kind: 'network-activity',
    name: 'NetworkActivity',
    category: 'Triggered',
    flows: list,
  };
}

/** Fast message frequencies so tests see messages every few seconds of fake time. */
const FAST: AgentCoreConfigurationPatch = {
  highPriorityMessageFrequencyMs: 10_000,
  lowPriorityMessageFrequencyMs: 10_000,
  firstCollectionMs: 0,
};

interface Rig {
  clock: FakeClock;
  hub: MockHubSender;
  core: AgentCore;
  net: ScriptedCollector;
  sys: ScriptedCollector;
  transitions: StateTransition[];
  /** Advances fake time in 1 s steps, letting delivery (real disk I/O) finish at each step. */
  run: (ms: number) => Promise<void>;
}

function rig(
  options: {
    connected?: boolean;
    configuration?: AgentCoreConfigurationPatch;
    clock?: FakeClock;
    netEvents?: (c: CollectorContext) => SecurityEvent[];
  } = {},
): Rig {
  const clock = options.clock ?? createFakeClock();
  const hub = createMockHubSender(options.connected ?? true);
  const net = scriptedCollector({
    id: 'ports',
    priority: 'High',
    clock,
    events: options.netEvents ?? ((c) => [listeningPorts(c)]),
  });
  const sys = scriptedCollector({ id: 'heartbeat', priority: 'Low', clock, events: (c) => [heartbeat(c)] });
  const core = createAgentCore({
    clock,
    collectors: [net, sys],
    context: baseContext(),
    sender: hub,
    diskBufferDir: dir,
    configuration: { ...FAST, ...options.configuration },
    random: createSeededRandom(7),
    logger: createMemoryLogger(),
  });
  const transitions: StateTransition[] = [];
  core.onTransition((t) => transitions.push(t));
  const run = async (ms: number) => {
    for (let left = ms; left > 0; left -= 1_000) {
      await clock.advance(Math.min(1_000, left));
      await core.idle();
    }
  };
  return { clock, hub, core, net, sys, transitions, run };
}

describe('agent core', () => {
  it('collects, queues by priority and delivers batched messages while ACTIVE', async () => {
    const { hub, core, run } = rig();
    await core.start();
    expect(core.state).toBe('ACTIVE');
    await run(60_000);
    const names = hub.events().map((e) => e.name);
    // First collection at once (firstCollectionMs 0), then High every 10 s and Low every 60 s.
    expect(names.filter((n) => n === 'ListeningPorts').length).toBe(7);
    expect(names.filter((n) => n === 'Heartbeat').length).toBe(2);
    expect(hub.messages.some((m) => m.priority === 'High')).toBe(true);
    await core.stop();
  });

  it('buffers on disk while the hub is away, suspends after 300 s, and delivers everything in order after recovery', async () => {
    const { clock, hub, core, net, run, transitions } = rig();
    await core.start();
    await run(15_000);
    hub.connected = false;
    await run(15_000);
    expect(core.state).toBe('PENDING');
    const pendingAt = transitions.at(-1)!.at;
    await run(pendingAt + 299_000 - clock.now());
    expect(core.state).toBe('PENDING');
    await run(2_000);
    expect(core.state).toBe('SUSPENDED');
    const buffered = core.statistics().disk.pendingRecords;
    expect(buffered).toBeGreaterThan(10);
    // Nothing is collected while suspended.
    const runsBefore = net.starts.length;
    await run(600_000);
    expect(net.starts.length).toBe(runsBefore);
    const before = hub.events().length;
    hub.connected = true;
    await run(3_000);
    expect(core.state).toBe('ACTIVE');
    expect(transitions.map((t) => t.to)).toEqual(['PENDING', 'ACTIVE', 'PENDING', 'SUSPENDED', 'ACTIVE']);
    expect(core.statistics().disk.pendingRecords).toBe(0);
    const delivered = hub.events().slice(before);
    const times = delivered.map((e) => e.timeUtc!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(delivered.length).toBeGreaterThan(10);
    // Collection restarts on reconnect.
    await run(120_000);
    expect(net.starts.length).toBeGreaterThan(runsBefore);
    await core.stop();
  });

  it('keeps what was buffered across an agent restart', async () => {
    const clock = createFakeClock();
    const first = rig({ connected: false, clock });
    await first.core.start();
    await first.run(60_000);
    await first.core.stop();
    const ids = new Set<string>();
    // Every event the first agent collected is on disk now: queued ones were written at stop().
    expect(first.core.statistics().disk.pendingRecords).toBeGreaterThan(0);

    const second = rig({ connected: true, clock });
    await second.core.start();
    await second.run(1_000);
    for (const e of second.hub.events()) ids.add(e.id);
    const firstRuns = first.net.starts.length + first.sys.starts.length;
    expect(second.hub.events().length).toBeGreaterThanOrEqual(firstRuns);
    expect(ids.size).toBe(second.hub.events().length);
    await second.core.stop();
  });

  it('with the hub down, writes queued events to the disk buffer at the next publish check, not at the 7 min / 5 h message frequencies', async () => {
    const { core, net, sys, run } = rig({
      connected: false,
      configuration: {
        highPriorityMessageFrequencyMs: 7 * 60_000,
        lowPriorityMessageFrequencyMs: 5 * 3_600_000,
      },
    });
    await core.start();
    await run(2_000);
    expect(net.starts.length + sys.starts.length).toBeGreaterThanOrEqual(2);
    // Nothing waits in memory for a message frequency: a SIGKILL now loses nothing collected.
    expect(core.statistics().queuedEvents).toBe(0);
    expect(core.statistics().unsavedMessages).toBe(0);
    const written = core.statistics().disk.pendingRecords;
    expect(written).toBeGreaterThan(0);
    await run(30_000);
    expect(core.statistics().queuedEvents).toBe(0);
    expect(core.statistics().disk.pendingRecords).toBeGreaterThan(written);
    // The in-memory state is dropped without stop(), as a crash would: the disk alone holds the events.
    const clock = createFakeClock();
    const reopened = createAgentCore({
      clock,
      collectors: [],
      context: baseContext(),
      sender: createMockHubSender(false),
      diskBufferDir: dir,
    });
    await reopened.start();
    expect(reopened.statistics().disk.pendingRecords).toBe(core.statistics().disk.pendingRecords);
    await reopened.stop();
  });

  it('keeps events in memory until their message frequency while the hub is connected', async () => {
    const { hub, core, run } = rig({
      configuration: {
        highPriorityMessageFrequencyMs: 7 * 60_000,
        lowPriorityMessageFrequencyMs: 5 * 3_600_000,
      },
    });
    await core.start();
    await run(30_000);
    expect(hub.messages).toHaveLength(0);
    expect(core.statistics().queuedEvents).toBeGreaterThan(0);
    expect(core.statistics().disk.pendingRecords).toBe(0);
    await core.stop();
  });

  it('retries a failed send after 3 s while the hub stays connected, without leaving ACTIVE', async () => {
    const { hub, core, run } = rig();
    await core.start();
    hub.failNext = 1;
    await run(11_000);
    expect(hub.messages).toHaveLength(0);
    expect(core.statistics().disk.pendingRecords).toBe(1);
    await run(3_000);
    expect(hub.messages.length).toBeGreaterThan(0);
    expect(core.statistics().disk.pendingRecords).toBe(0);
    expect(core.state).toBe('ACTIVE');
    await core.stop();
  });

  it('bounds network flows by the cache size and counts the rest as dropped', async () => {
    const { hub, core, run } = rig({
      netEvents: (c) => [flows(c, 100)],
      configuration: { maxIpv4FlowsInCache: 64 },
    });
    await core.start();
    await run(10_000);
    const net = hub.events().filter((e) => e.kind === 'network-activity');
    expect(net.length).toBeGreaterThan(0);
    for (const e of net) expect(e.kind === 'network-activity' && e.flows.length).toBe(64);
    expect(core.statistics().droppedFlows).toBe(36 * net.length);
    await core.stop();
  });

  it('applies configuration live: a faster High interval and a disabled collector', async () => {
    const { core, net, sys, run } = rig();
    await core.start();
    await run(60_000);
    const netRuns = net.starts.length;
    const sysRuns = sys.starts.length;
    core.applyConfiguration({
      priorityIntervalsMs: { High: 2_000 },
      collectorsEnabled: { heartbeat: false },
    });
    await run(60_000);
    expect(net.starts.length - netRuns).toBeGreaterThanOrEqual(29);
    expect(sys.starts.length).toBe(sysRuns);
    await core.stop();
  });

  it('reports dropped events and message counts in its statistics events', async () => {
    const { hub, core, run } = rig({
      configuration: {
        maxLocalCacheSizeInBytes: 8_000,
        statisticsFrequencyMs: 60_000,
        highPriorityMessageFrequencyMs: 30_000,
        priorityIntervalsMs: { High: 1_000 },
      },
    });
    await core.start();
    await run(61_000);
    const dropped = hub.events().find((e) => e.kind === 'dropped-events');
    expect(dropped).toBeDefined();
    const high =
      dropped!.kind === 'dropped-events' ? dropped!.queues.find((q) => q.queue === 'high')! : undefined;
    expect(high!.droppedEvents).toBeGreaterThan(0);
    expect(high!.collectedEvents).toBeGreaterThan(high!.droppedEvents);
    const stats = hub.events().find((e) => e.kind === 'message-statistics');
    expect(stats!.kind === 'message-statistics' && stats!.statistics[0]!.messagesSent).toBeGreaterThan(0);
    await core.stop();
  });

  it('aggregates repeated ProcessCreate events before they are queued', async () => {
    const processes = (c: CollectorContext): SecurityEvent[] => [
      {
        ...heartbeat(c),
        kind: 'process',
        name: 'ProcessCreate',
        category: 'Triggered',
        processes: [
          {
            action: 'exec',
            executable: '/bin/sh',
            processId: c.clock.now() % 1_000,
            commandLine: 'sh -c true',
            userId: '0',
            hitCount: 1,
          },
        ],
      },
    ];
    const { hub, core, run } = rig({
      netEvents: processes,
      configuration: { aggregation: { ProcessCreate: { enabled: true, intervalMs: 30_000 } } },
    });
    await core.start();
    await run(35_000);
    const created = hub.events().filter((e) => e.name === 'ProcessCreate');
    // Runs at 0, 10, 20 and 30 s fall in the 30 s window opened at 0 s.
    expect(created).toHaveLength(1);
    expect(created[0]!.category).toBe('Aggregated');
    expect(created[0]!.aggregation!.hitCount).toBe(4);
    await core.stop();
  });

  it('keeps the disk buffer within its cap during a long outage, delivering the newest data afterwards', async () => {
    const { clock, hub, core, run } = rig({
      connected: false,
      configuration: {
        diskBufferMaxBytes: 8_192,
        priorityIntervalsMs: { High: 1_000 },
        highPriorityMessageFrequencyMs: 2_000,
      },
    });
    const t0 = clock.now();
    await core.start();
    await run(600_000);
    const disk = core.statistics().disk;
    expect(disk.bytes).toBeLessThanOrEqual(8_192);
    expect(disk.droppedRecords).toBeGreaterThan(0);
    hub.connected = true;
    await run(3_000);
    const times = hub.events().map((e) => e.timeUtc!);
    expect(times.length).toBeGreaterThan(0);
    // What survived is the end of the collection (which stopped when the module suspended at
    // 300 s), not its beginning.
    expect(Math.min(...times)).toBeGreaterThan(t0 + 200_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(t0 + 300_000);
    await core.stop();
  });

  it('reports a damaged disk buffer tail left by a crash and still delivers the good records', async () => {
    const first = rig({ connected: false });
    await first.core.start();
    await first.run(20_000);
    await first.core.stop();
    const { appendFile, readdir } = await import('node:fs/promises');
    const segment = (await readdir(dir))
      .filter((n) => n.endsWith('.vbuf'))
      .sort()
      .at(-1)!;
    await appendFile(join(dir, segment), Buffer.from([0, 0, 1, 0, 9, 9]));
    const logger = createMemoryLogger();
    const clock = createFakeClock();
    const hub = createMockHubSender(true);
    const core = createAgentCore({
      clock,
      collectors: [],
      context: baseContext(),
      sender: hub,
      diskBufferDir: dir,
      logger,
    });
    await core.start();
    await core.idle();
    expect(core.statistics().disk.corruptTails).toHaveLength(1);
    expect(logger.lines.some((l) => l.message.includes('damaged tail'))).toBe(true);
    expect(hub.events().length).toBeGreaterThan(0);
    await core.stop();
  });
});
