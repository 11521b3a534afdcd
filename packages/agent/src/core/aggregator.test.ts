import type { NetworkFlow, SecurityEvent } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { createAggregator } from './aggregator.js';
import { createFakeClock } from './fake-clock.js';

const HOUR = 3_600_000;
let ids = 0;
const newId = () => `id-${(ids += 1)}`;

function processCreate(at: number, pid: number, commandLine = '/bin/ls -la'): SecurityEvent {
  return {
    kind: 'process',
    id: newId(),
    name: 'ProcessCreate',
    eventType: 'Security',
    category: 'Triggered',
    timeUtc: at,
    format: 'json-1.0',
    processes: [
      {
        action: 'exec',
        executable: '/bin/ls',
        processId: pid,
        parentProcessId: 1,
        userId: '0',
        commandLine,
        hitCount: 1,
      },
    ],
  };
}

function connection(at: number, flow: Partial<NetworkFlow>): SecurityEvent {
  return {
    kind: 'network-activity',
    id: newId(),
    name: 'ConnectionCreate',
    eventType: 'Security',
    category: 'Triggered',
    timeUtc: at,
    format: 'json-1.0',
    flows: [
      {
        ipVersion: 4,
        protocol: 'tcp',
        direction: 'out',
        localAddress: '10.0.0.2',
        localPort: '50000',
        remoteAddress: '1.2.3.4',
        remotePort: '443',
        processId: 77,
        executable: '/usr/bin/curl',
        ...flow,
      },
    ],
  };
}

describe('aggregation (reference §2.3)', () => {
  it('turns repeated ProcessCreate into one Aggregated event with hit count, first and last time, pids zeroed', async () => {
    const clock = createFakeClock();
    const t0 = clock.now();
    const agg = createAggregator({ clock, newId });
    expect(agg.add(processCreate(t0, 100))).toEqual([]);
    await clock.advance(60_000);
    agg.add(processCreate(clock.now(), 101));
    await clock.advance(60_000);
    agg.add(processCreate(clock.now(), 102));
    agg.add(processCreate(clock.now(), 103, '/bin/ls /etc'));
    expect(agg.flushDue()).toEqual([]);
    await clock.advance(HOUR - 120_000);
    const out = agg.flushDue();
    expect(out).toHaveLength(2);
    const ls = out[0]!;
    expect(ls).toMatchObject({
      name: 'ProcessCreate',
      category: 'Aggregated',
      aggregation: { hitCount: 3, startTimeUtc: t0, endTimeUtc: t0 + 120_000 },
    });
    expect(ls.kind === 'process' && ls.processes[0]).toMatchObject({
      processId: 0,
      parentProcessId: 0,
      hitCount: 3,
      commandLine: '/bin/ls -la',
    });
    expect(ls.kind === 'process' && ls.processes[0]!.extraDetails).toEqual({
      HitCount: '3',
      StartTimeLocal: new Date(t0).toISOString(),
      StartTimeUtc: new Date(t0).toISOString(),
      EndTimeLocal: new Date(t0 + 120_000).toISOString(),
      EndTimeUtc: new Date(t0 + 120_000).toISOString(),
    });
    expect(out[1]!.aggregation!.hitCount).toBe(1);
    expect(agg.pending).toBe(0);
  });

  it('keys ConnectionCreate on the remote port for outbound and the local port for inbound, zeroing the other', () => {
    const clock = createFakeClock();
    const agg = createAggregator({
      clock,
      newId,
      settings: { ConnectionCreate: { enabled: true, intervalMs: 1_000 } },
    });
    const t = clock.now();
    agg.add(connection(t, { localPort: '50001' }));
    agg.add(connection(t, { localPort: '50002' })); // same outbound connection, new ephemeral port
    agg.add(connection(t, { remotePort: '80' })); // another destination port
    agg.add(connection(t, { direction: 'in', localPort: '22', remotePort: '61000' }));
    agg.add(connection(t, { direction: 'in', localPort: '22', remotePort: '61001' }));
    const out = agg.flushAll();
    const flows = out.map((e) =>
      e.kind === 'network-activity' ? { ...e.flows[0]!, hits: e.aggregation!.hitCount } : undefined,
    );
    expect(flows).toEqual([
      expect.objectContaining({ direction: 'out', localPort: '0', remotePort: '443', processId: 0, hits: 2 }),
      expect.objectContaining({ direction: 'out', localPort: '0', remotePort: '80', hits: 1 }),
      expect.objectContaining({ direction: 'in', localPort: '22', remotePort: '0', hits: 2 }),
    ]);
  });

  it('aggregates ProcessTerminate by executable and exit status', () => {
    const clock = createFakeClock();
    const agg = createAggregator({ clock, newId });
    const exit = (pid: number, exitStatus: number): SecurityEvent => ({
      ...processCreate(clock.now(), pid),
      name: 'ProcessTerminate',
      kind: 'process',
      processes: [{ action: 'exit', executable: '/bin/ls', processId: pid, exitStatus, hitCount: 1 }],
    });
    agg.add(exit(1, 0));
    agg.add(exit(2, 0));
    agg.add(exit(3, 1));
    expect(agg.flushAll().map((e) => e.aggregation!.hitCount)).toEqual([2, 1]);
  });

  it('passes other events and disabled names straight through', () => {
    const clock = createFakeClock();
    const agg = createAggregator({
      clock,
      newId,
      settings: { ProcessCreate: { enabled: false, intervalMs: HOUR } },
    });
    const pc = processCreate(clock.now(), 5);
    expect(agg.add(pc)).toEqual([pc]);
    const hb: SecurityEvent = {
      kind: 'heartbeat',
      id: 'h',
      name: 'Heartbeat',
      eventType: 'Security',
      category: 'Periodic',
      timeUtc: 0,
      format: 'json-1.0',
    };
    expect(agg.add(hb)).toEqual([hb]);
    expect(agg.pending).toBe(0);
  });

  it('switching aggregation off releases what it held at once', () => {
    const clock = createFakeClock();
    const agg = createAggregator({ clock, newId });
    agg.add(processCreate(clock.now(), 1));
    agg.add(processCreate(clock.now(), 2));
    const out = agg.configure({ ProcessCreate: { enabled: false, intervalMs: HOUR } });
    expect(out.map((e) => e.aggregation!.hitCount)).toEqual([2]);
    const next = processCreate(clock.now(), 3);
    expect(agg.add(next)).toEqual([next]);
  });

  it('a new window starts with the first item after a flush', async () => {
    const clock = createFakeClock();
    const agg = createAggregator({
      clock,
      newId,
      settings: { ProcessCreate: { enabled: true, intervalMs: 10_000 } },
    });
    agg.add(processCreate(clock.now(), 1));
    await clock.advance(10_000);
    expect(agg.flushDue()).toHaveLength(1);
    await clock.advance(5_000);
    agg.add(processCreate(clock.now(), 2));
    await clock.advance(9_999);
    expect(agg.flushDue()).toHaveLength(0);
    await clock.advance(1);
    expect(agg.flushDue()).toHaveLength(1);
  });
});
