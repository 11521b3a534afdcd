import { describe, expect, it } from 'vitest';
import { decodeRtosMessage, decodeSecurityMessage, RTOS_MTI, type SecurityEvent } from '@vigil/protocol';
import { collectFixtureEvents } from './__fixtures__/collector-events.js';
import { createOutputProfile, createRtosEncoder, packModuleVersion, toRtosSecurityMessage } from './index.js';

const options = { securityModuleId: 'vigil-agent-test', agentVersion: '0.1.0', utcOffsetMinutes: 120 };
const encode = createRtosEncoder(options);
const rtosProperties = { application: { mti: RTOS_MTI } };

const header = (name: string) => ({
  id: 'a3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d',
  name,
  eventType: 'Security' as const,
  category: 'Triggered' as const,
  timeUtc: Date.UTC(2026, 10, 23, 9, 0, 0),
  collectionIntervalSeconds: 10,
  format: 'flatbuffers-2.3' as const,
});

describe('FlatBuffers 2.3 encoder', () => {
  it('round-trips every representable collector event through decodeSecurityMessage with mti=2.3-1-0-0', async () => {
    const events = await collectFixtureEvents('flatbuffers-2.3');
    const decoded = decodeSecurityMessage(encode(events), rtosProperties);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.message.format).toBe('flatbuffers-2.3');
    expect(decoded.message.agentId).toBe('vigil-agent-test');
    expect(decoded.message.agentVersion).toBe(String(packModuleVersion('0.1.0')));
    const kinds = new Set(decoded.message.events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual([
      'baseline',
      'heartbeat',
      'listening-ports',
      'network-activity',
      'process',
      'system-information',
    ]);
    const flows = events.flatMap((e) => (e.kind === 'network-activity' ? e.flows : []));
    const decodedFlows = decoded.message.events.flatMap((e) =>
      e.kind === 'network-activity' ? e.flows : [],
    );
    const key = (f: { remoteAddress: string; remotePort?: string; protocol: string }) =>
      `${f.protocol} ${f.remoteAddress} ${f.remotePort ?? ''}`;
    const representable = flows.filter((f) => ['tcp', 'udp', 'icmp'].includes(f.protocol));
    expect(decodedFlows.map(key).sort()).toEqual(representable.map(key).sort());
  });

  it('keeps ids, times, intervals and process fields; one Process table per record', () => {
    const bytes = encode([
      {
        ...header('ProcessCreate'),
        kind: 'process',
        processes: [
          {
            action: 'exec',
            processId: 70_000,
            parentProcessId: 1,
            userId: '1000',
            userName: 'alice',
            executable: '/bin/nc',
            commandLine: 'nc -l',
            hitCount: 4,
          },
          { action: 'exit', processId: 71, hitCount: 1 },
        ],
      },
    ]);
    const message = decodeRtosMessage(bytes);
    expect(message.timezone).toBe(2);
    expect(message.securityModuleVersion).toBe(packModuleVersion('0.1.0'));
    expect(message.events.map((e) => [e.time, e.collectionInterval, e.payload.type])).toEqual([
      [Date.UTC(2026, 10, 23, 9) / 1000, 10, 'Process'],
      [Date.UTC(2026, 10, 23, 9) / 1000, 10, 'Process'],
    ]);
    expect(message.events[0]?.id).toBe('a3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d');
    expect(message.events[0]?.payload).toMatchObject({
      processId: 70_000,
      userId: 1000,
      userName: 'alice',
      commandline: 'nc -l',
      eventType: 'exec',
      hitCount: 4,
    });
    expect(message.events[1]?.payload).toMatchObject({ eventType: 'exit', processId: 71 });
  });

  it('sends ids that do not fit the uint16 flow fields as 0 and leaves out what has no slot', () => {
    const events: SecurityEvent[] = [
      {
        ...header('ConnectionCreate'),
        kind: 'network-activity',
        flows: [
          {
            ipVersion: 4,
            protocol: 'tcp',
            localAddress: '10.0.0.1',
            localPort: '5000',
            remoteAddress: '10.0.0.2',
            remotePort: '443',
            processId: 123_456,
            userId: '1000',
            bytesIn: 10,
            bytesOut: 20,
          },
          { ipVersion: 6, protocol: 'raw', localAddress: '::1', remoteAddress: '::1' },
        ],
      },
      {
        ...header('Login'),
        kind: 'login',
        attempts: [{ processId: 1, operation: 'x', executable: 'sshd', result: 'fail' }],
      },
    ];
    const message = toRtosSecurityMessage(events, options);
    expect(message.events).toHaveLength(1);
    const payload = message.events[0]?.payload;
    if (payload?.type !== 'NetworkActivity') throw new Error('no network activity');
    expect(payload.ipv6Activity).toEqual([]);
    expect(payload.ipv4Activity[0]?.common).toMatchObject({
      processId: 0,
      userId: 1000,
      bytesIn: 10,
      bytesOut: 20,
      localPort: 5000,
    });
  });

  it("carries the agent's own reports as Log records", () => {
    const message = decodeRtosMessage(
      encode([
        {
          ...header('ConfigurationError'),
          eventType: 'Operational',
          kind: 'configuration-error',
          errors: [
            {
              configurationName: 'lowPriorityMessageFrequency',
              errorType: 'TypeMismatch',
              usedConfiguration: '{}',
              message: 'not a duration',
            },
          ],
        },
      ]),
    );
    expect(message.events[0]?.payload).toMatchObject({
      type: 'Log',
      logs: [
        {
          level: 'warn',
          message: 'ConfigurationError TypeMismatch lowPriorityMessageFrequency: not a duration',
        },
      ],
    });
  });

  it('profiles carry the security marker, and mti only for FlatBuffers', () => {
    const json = createOutputProfile({ agentId: 'x', agentVersion: '1.0.0' });
    const rtos = createOutputProfile({ name: 'flatbuffers-2.3', agentId: 'x', agentVersion: '1.0.0' });
    expect(json.properties).toEqual({
      system: {
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        interfaceId: 'urn:azureiot:Security:SecurityAgent:1',
      },
    });
    expect(rtos.properties).toEqual({
      system: { interfaceId: 'urn:azureiot:Security:SecurityAgent:1' },
      application: { mti: '2.3-1-0-0' },
    });
  });
});
