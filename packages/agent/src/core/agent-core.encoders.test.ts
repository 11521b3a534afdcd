/**
 * The core with the real output profiles plugged in (../encode): every message body stays within
 * `maxMessageSizeInBytes` and is a valid security message of its format, including aggregated and
 * statistics events and messages that went through the disk buffer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeFlatbuffersSecurityMessage,
  parseMti,
  RTOS_MTI,
  validateSecurityMessage,
  type NetworkFlow,
  type SecurityEvent,
} from '@vigil/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectorContext } from '../collectors/index.js';
import { createJsonEncoder, createRtosEncoder } from '../encode/index.js';
import { createMockHubSender } from './__fixtures__/mock-hub-sender.js';
import { baseContext, heartbeat, scriptedCollector } from './__fixtures__/test-collectors.js';
import { createAgentCore } from './agent-core.js';
import type { MessageEncoder } from './batcher.js';
import { createFakeClock } from './fake-clock.js';
import { createSeededRandom } from './random.js';

const AGENT_ID = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const MAX = 4_096;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-core-encoders-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function flowsEvent(c: CollectorContext, count: number): SecurityEvent {
  const flows: NetworkFlow[] = Array.from({ length: count }, (_, i) => ({
    ipVersion: 4,
    protocol: 'tcp',
    direction: 'out',
    localAddress: '10.0.0.2',
    localPort: String(40_000 + i),
    remoteAddress: '93.184.216.34',
    remotePort: '443',
    bytesIn: 100,
    bytesOut: 200,
  }));
  return { ...heartbeat(c), kind: 'network-activity', name: 'NetworkActivity', category: 'Triggered', flows };
}

function processEvent(c: CollectorContext): SecurityEvent {
  return {
    ...heartbeat(c),
    kind: 'process',
    name: 'ProcessCreate',
    category: 'Triggered',
    processes: [
      {
        action: 'exec',
        executable: '/bin/sh',
        processId: 42,
        parentProcessId: 1,
        userId: '0',
        commandLine: 'sh -c true',
        hitCount: 1,
      },
    ],
  };
}

async function runOutage(encoder: MessageEncoder, events: (c: CollectorContext) => SecurityEvent[]) {
  const clock = createFakeClock();
  const hub = createMockHubSender(false);
  const collector = scriptedCollector({ id: 'mixed', priority: 'High', clock, events });
  const core = createAgentCore({
    clock,
    collectors: [collector],
    context: baseContext(),
    sender: hub,
    diskBufferDir: dir,
    encoder,
    random: createSeededRandom(1),
    configuration: {
      firstCollectionMs: 0,
      maxMessageSizeInBytes: MAX,
      highPriorityMessageFrequencyMs: 5_000,
      lowPriorityMessageFrequencyMs: 5_000,
      statisticsFrequencyMs: 20_000,
      aggregation: { ProcessCreate: { enabled: true, intervalMs: 15_000 } },
    },
  });
  await core.start();
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 1_000) {
      await clock.advance(1_000);
      await core.idle();
    }
  };
  await step(40_000); // offline: everything goes to the disk buffer
  hub.connected = true;
  await step(20_000);
  await core.stop();
  return hub.messages;
}

describe('agent core with the real output profiles', () => {
  it('JSON 1.0: every message fits the size limit and passes strict schema validation', async () => {
    const encoder = createJsonEncoder({ agentId: AGENT_ID, agentVersion: '0.1.0', utcOffsetMinutes: 0 });
    const messages = await runOutage(encoder, (c) => [flowsEvent(c, 8), processEvent(c)]);
    expect(messages.length).toBeGreaterThan(5);
    const names = new Set<string>();
    for (const m of messages) {
      expect(m.body.byteLength).toBeLessThanOrEqual(MAX);
      const parsed: unknown = JSON.parse(new TextDecoder().decode(m.body));
      const result = validateSecurityMessage(parsed, { strict: true });
      expect(result.errors).toEqual([]);
      for (const e of (parsed as { Events: { Name: string }[] }).Events) names.add(e.Name);
    }
    expect([...names].sort()).toEqual([
      'ConnectionCreate',
      'DroppedEventsStatistics',
      'MessageStatistics',
      'ProcessCreate',
    ]);
  });

  it('FlatBuffers 2.3: every message fits the size limit and decodes, flows capped at 64 per collection', async () => {
    const encoder = createRtosEncoder({
      securityModuleId: 'defender-iot-micro-agent',
      agentVersion: '3.5.4',
      utcOffsetMinutes: 0,
    });
    const messages = await runOutage(encoder, (c) => [flowsEvent(c, 100), heartbeat(c)]);
    expect(messages.length).toBeGreaterThan(5);
    const mti = parseMti(RTOS_MTI);
    let flows = 0;
    for (const m of messages) {
      expect(m.body.byteLength).toBeLessThanOrEqual(MAX);
      const decoded = decodeFlatbuffersSecurityMessage(m.body, mti);
      for (const e of decoded.events) {
        if (e.kind === 'network-activity') {
          expect(e.flows.length).toBeLessThanOrEqual(64);
          flows += e.flows.length;
        }
      }
    }
    expect(flows).toBeGreaterThan(0);
  });
});
