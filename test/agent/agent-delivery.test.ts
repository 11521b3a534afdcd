/**
 * End to end against the real hub: the agent's messages arrive in the ingest log as security
 * messages that decode, in both output profiles; and events collected while the hub is down are
 * buffered on disk within the cap, survive an agent restart, and are all delivered once the hub is
 * back on the same data directory and port.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '@vigil/agent';
import { RTOS_MTI, SECURITY_INTERFACE_ID, validateSecurityMessage } from '@vigil/protocol';
import { eventually } from '../hub/support/hub-fixture.js';
import {
  deliveredEvents,
  deliveredMessages,
  registerSecurityModule,
  startAgentHub,
  tempDir,
  type AgentTestHub,
} from './support/agent-hub.js';
import { createNumberedCollector } from './support/numbered-collector.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hub(options: { dataDir?: string; port?: number } = {}): Promise<AgentTestHub> {
  const started = await startAgentHub(options);
  cleanups.push(() => started.stop());
  return started;
}

/** Fast publishing: the twin's 7 min / 5 h message frequencies would outlast any test. */
const fast = {
  firstCollectionMs: 0,
  highPriorityMessageFrequencyMs: 300,
  lowPriorityMessageFrequencyMs: 300,
  publishCheckMs: 50,
  retryTimeMs: 100,
};
const quickBackoff = { backoff: { initialMs: 50, maxMs: 300, factor: 2, jitter: 0.5 } };

async function agent(options: Parameters<typeof runAgent>[0]): Promise<RunningAgent> {
  const dir = tempDir('vigil-agent-');
  const running = await runAgent({
    dataDir: dir.path,
    transport: 'mqtt',
    env: {},
    remoteConfiguration: false,
    ...options,
  });
  cleanups.push(async () => {
    await running.stop();
    dir.remove();
  });
  return running;
}

/**
 * An agent whose disk buffer (capped at `diskBufferMaxBytes`) lives in `dataDir`, which the caller
 * owns so that it outlives the agent: the outage tests restart or inspect it.
 */
function bufferingAgent(
  connectionString: string,
  dataDir: string,
  collector: ReturnType<typeof createNumberedCollector>,
  diskBufferMaxBytes: number,
): Promise<RunningAgent> {
  return runAgent({
    connectionString,
    transport: 'mqtt',
    env: {},
    dataDir,
    remoteConfiguration: false,
    collectorInstances: [collector],
    coreConfiguration: { ...fast, priorityIntervalsMs: { High: 50 }, diskBufferMaxBytes },
    transportTuning: quickBackoff,
  });
}

describe('agent → hub', () => {
  it('connects as the azureiotsecurity module; its collectors reach the ingest log as strictly valid JSON 1.0', async () => {
    const t = await hub();
    const connectionString = await registerSecurityModule(t, 'edge-1');
    await agent({ connectionString, coreConfiguration: fast, transportTuning: quickBackoff });
    const delivered = await eventually(async () => {
      const all = await deliveredMessages(t.hub, 'edge-1');
      const kinds = new Set(all.flatMap((d) => d.message.events.map((e) => e.kind)));
      return kinds.has('listening-ports') && kinds.has('system-information') && kinds.has('local-users')
        ? all
        : undefined;
    }, 10_000);
    for (const { record, message } of delivered) {
      expect(record.moduleId).toBe('azureiotsecurity');
      expect(record.properties).toMatchObject({
        '$.ifid': SECURITY_INTERFACE_ID,
        '$.ct': 'application/json',
      });
      expect(message.format).toBe('json-1.0');
      const strict = validateSecurityMessage(JSON.parse(record.body.toString('utf8')), { strict: true });
      expect(strict.errors).toEqual([]);
    }
  });

  it('speaks FlatBuffers 2.3 with mti=2.3-1-0-0 in the RTOS profile', async () => {
    const t = await hub();
    const connectionString = await registerSecurityModule(t, 'rtos-1');
    await agent({
      connectionString,
      profile: 'flatbuffers-2.3',
      coreConfiguration: fast,
      transportTuning: quickBackoff,
    });
    const delivered = await eventually(async () => {
      const all = await deliveredMessages(t.hub, 'rtos-1');
      return all.some((d) => d.message.events.some((e) => e.kind === 'heartbeat')) ? all : undefined;
    }, 10_000);
    for (const { record, message } of delivered) {
      expect(record.properties).toMatchObject({ mti: RTOS_MTI, '$.ifid': SECURITY_INTERFACE_ID });
      expect(record.properties['$.ct']).toBeUndefined();
      expect(message.format).toBe('flatbuffers-2.3');
    }
  });

  it('buffers on disk while the hub is down, across an agent restart, and delivers every event', async () => {
    const first = await hub();
    const { dataDir, port } = first;
    const connectionString = await registerSecurityModule(first, 'dev-outage');
    const emitted: string[] = [];
    const dir = tempDir('vigil-agent-outage-');
    cleanups.push(() => dir.remove());
    const diskCap = 4 * 1024 * 1024;
    const start = (collector = createNumberedCollector(emitted)) =>
      bufferingAgent(connectionString, dir.path, collector, diskCap);

    const a1 = await start();
    await eventually(async () =>
      (await deliveredEvents(first.hub, 'dev-outage')).length >= 3 ? true : undefined,
    );
    await first.stop();
    cleanups.pop();
    const beforeOutage = emitted.length;
    await eventually(() =>
      a1.core.state === 'PENDING' && emitted.length >= beforeOutage + 10 ? true : undefined,
    );
    await a1.stop();
    const onDisk = a1.core.statistics().disk;
    expect(onDisk.pendingRecords).toBeGreaterThan(0);
    // Well under the 4 MiB cap: nothing may have been dropped (the cap itself is the next test's).
    expect(onDisk.droppedRecords).toBe(0);

    // A new agent process-object on the same data directory, still offline: it keeps collecting.
    const collector = createNumberedCollector(emitted);
    const a2 = await start(collector);
    cleanups.push(() => a2.stop());
    const afterRestart = emitted.length;
    await eventually(() => (emitted.length >= afterRestart + 5 ? true : undefined));

    const second = await hub({ dataDir, port });
    const stillWanted = (events: { id: string }[]) => {
      const got = new Set(events.map((e) => e.id));
      return emitted.filter((id) => !got.has(id));
    };
    await eventually(() => (a2.core.state === 'ACTIVE' ? true : undefined), 10_000);
    collector.active = false;
    a2.core.flush();
    await eventually(async () => {
      const missing = stillWanted(await deliveredEvents(second.hub, 'dev-outage'));
      return missing.length === 0 ? true : undefined;
    }, 10_000);
    // At least 10 collected before the first agent stopped and 5 by the second, both offline.
    expect(emitted.length).toBeGreaterThanOrEqual(beforeOutage + 15);
  });

  it('never lets the disk buffer grow past its cap: the oldest messages go, the newest arrive after the outage', async () => {
    const first = await hub();
    const { dataDir, port } = first;
    const connectionString = await registerSecurityModule(first, 'dev-cap');
    const dir = tempDir('vigil-agent-cap-');
    cleanups.push(() => dir.remove());
    // About 2.3 KB per message: 120 of them are eight times the 32 KiB cap.
    const diskCap = 32 * 1024;
    const emitted: string[] = [];
    const collector = createNumberedCollector(emitted, { padBytes: 2_000 });
    collector.active = false;
    const a = await bufferingAgent(connectionString, dir.path, collector, diskCap);
    cleanups.push(() => a.stop());
    await eventually(() => (a.core.state === 'ACTIVE' ? true : undefined), 10_000);
    await first.stop();
    cleanups.pop();
    await eventually(() => (a.core.state === 'PENDING' ? true : undefined));
    collector.active = true;
    let largest = 0;
    await eventually(() => {
      // What is really on disk, not the buffer's own account of it.
      largest = Math.max(largest, directoryBytes(join(dir.path, 'buffer')));
      return emitted.length >= 120 ? true : undefined;
    }, 30_000);
    collector.active = false;
    await eventually(() => (a.core.statistics().queuedEvents === 0 ? true : undefined));
    await a.core.idle();
    largest = Math.max(largest, directoryBytes(join(dir.path, 'buffer')));
    const disk = a.core.statistics().disk;
    expect(largest).toBeGreaterThan(diskCap / 2);
    expect(largest).toBeLessThanOrEqual(diskCap + 1_024);
    expect(disk.bytes).toBeLessThanOrEqual(diskCap);
    expect(disk.droppedRecords).toBeGreaterThan(50);

    const second = await hub({ dataDir, port });
    const last = emitted.at(-1)!;
    const delivered = await eventually(async () => {
      const ids = (await deliveredEvents(second.hub, 'dev-cap')).map((e) => e.id);
      return ids.includes(last) ? new Set(ids) : undefined;
    }, 15_000);
    const kept = emitted.filter((id) => delivered.has(id));
    // Everything that survived is the end of the outage, in one unbroken run up to the last event.
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(emitted.length - 50);
    expect(kept).toEqual(emitted.slice(emitted.length - kept.length));
  });
});

/** Bytes of the files directly in `dir` (segments, cursor). */
function directoryBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}
