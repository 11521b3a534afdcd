import { describe, expect, it } from 'vitest';
import type { SecurityEventKind, SecurityEventOf } from '../events/index.js';
import { HAND_ASSEMBLED } from './__fixtures__/hand-assembled.js';
import { EVERY_PAYLOAD, EVERY_PAYLOAD_MESSAGE } from './__fixtures__/sample-messages.js';
import {
  decodeFlatbuffersSecurityMessage,
  encodeRtosMessage,
  formatRtosModuleVersion,
  normaliseRtosMessage,
  parseMti,
  RTOS_MTI,
} from './index.js';

const decoded = decodeFlatbuffersSecurityMessage(
  encodeRtosMessage(EVERY_PAYLOAD_MESSAGE),
  parseMti(RTOS_MTI),
);

function eventAt<K extends SecurityEventKind>(index: number, kind: K): SecurityEventOf<K> {
  const event = decoded.events[index];
  if (event?.kind !== kind) throw new Error(`event ${index} is ${event?.kind}, not ${kind}`);
  return event as SecurityEventOf<K>;
}

describe('decodeFlatbuffersSecurityMessage', () => {
  it('maps the message envelope onto the JSON 1.0 envelope fields', () => {
    expect(decoded).toMatchObject({
      format: 'flatbuffers-2.3',
      agentId: 'defender-iot-micro-agent',
      agentVersion: '50659332',
      schemaVersion: '2.3',
    });
    expect(formatRtosModuleVersion(Number(decoded.agentVersion))).toBe('3.5.4');
    expect(decoded.events.map((e) => e.kind)).toEqual([
      'network-activity',
      'system-information',
      'system-information',
      'heartbeat',
      'listening-ports',
      'baseline',
      'process',
      'process',
      'log',
      'log',
    ]);
  });

  it('gives every event its id, time in ms, interval, payload name and a category', () => {
    expect(decoded.events[0]).toMatchObject({
      id: '0a1b2c3d-4e5f-6071-8293-000000000001',
      name: 'NetworkActivity',
      eventType: 'Security',
      category: 'Triggered',
      timeUtc: 1_700_000_000_000,
      collectionIntervalSeconds: 10,
      format: 'flatbuffers-2.3',
    });
    expect(decoded.events[3]).toMatchObject({
      name: 'Heartbeat',
      category: 'Periodic',
      collectionIntervalSeconds: 60,
    });
  });

  it('turns IPv4 and IPv6 flows into network flows with byte counts both ways and no invented direction', () => {
    const event = eventAt(0, 'network-activity');
    expect(event.flows).toStrictEqual([
      {
        ipVersion: 4,
        protocol: 'tcp',
        localAddress: '192.168.1.20',
        remoteAddress: '52.1.0.1',
        localPort: '49153',
        remotePort: '8883',
        bytesIn: 1007,
        bytesOut: 403,
      },
      {
        ipVersion: 4,
        protocol: 'icmp',
        localAddress: '10.0.0.2',
        remoteAddress: '255.255.255.255',
        bytesIn: 4_294_967_295,
        bytesOut: 0,
        processId: 65_535,
        userId: '1000',
        executable: '/usr/bin/ping',
        commandLine: 'ping -c 1 10.0.0.1',
      },
      {
        ipVersion: 6,
        protocol: 'tcp',
        localAddress: 'fe80::1',
        remoteAddress: '2001:db8::3',
        localPort: '49154',
        remotePort: '8883',
        bytesIn: 1014,
        bytesOut: 406,
      },
      {
        ipVersion: 6,
        protocol: 'tcp',
        localAddress: '::ffff:10.1.2.3',
        remoteAddress: '::',
        localPort: '49155',
        remotePort: '8883',
        bytesIn: 1021,
        bytesOut: 409,
      },
    ]);
  });

  it('maps system information, listening ports and baseline checks', () => {
    expect(eventAt(1, 'system-information').info).toStrictEqual({
      osInfo: 'Azure RTOS 6.2',
      osName: 'Azure RTOS',
      osVersion: '6.2',
      kernelInfo: 'ThreadX 6.2.0',
      hardwareInfo: 'STM32L4+ — 1 MiB',
    });
    expect(eventAt(2, 'system-information').info).toStrictEqual({});
    // only the documented RTOS text is split into name and version
    const linux = normaliseRtosMessage({
      ...EVERY_PAYLOAD_MESSAGE,
      events: [
        { ...EVERY_PAYLOAD[1]!, payload: { type: 'SystemInformation', osInfo: 'Linux 6.1 (Debian 12)' } },
      ],
    });
    expect(linux.events[0]).toMatchObject({ info: { osInfo: 'Linux 6.1 (Debian 12)' } });
    expect(linux.events[0]).not.toHaveProperty('info.osName');
    expect(eventAt(4, 'listening-ports').ports).toStrictEqual([
      { ipVersion: 4, protocol: 'tcp', localAddress: '0.0.0.0', localPort: '22' },
      { ipVersion: 4, protocol: 'udp', localAddress: '127.0.0.1', localPort: '53' },
      { ipVersion: 6, protocol: 'tcp', localAddress: '::', localPort: '443' },
    ]);
    expect(eventAt(5, 'baseline').checks).toStrictEqual([
      {
        checkId: 'CIS-5.2.8',
        result: 'fail',
        severity: 'critical',
        description: 'SSH root login',
        remediation: 'PermitRootLogin no',
      },
      { checkId: 'CIS-1.1.1', result: 'pass', severity: 'informational' },
      {
        checkId: 'CIS-9.9',
        result: 'error',
        severity: 'warning',
        error: 'permission denied',
        description: '',
      },
    ]);
  });

  it('maps process events with their action, ids and hit count (root stays user 0)', () => {
    expect(eventAt(6, 'process').processes).toStrictEqual([
      {
        action: 'exec',
        executable: '/usr/bin/curl',
        processId: 4_000_000_000,
        parentProcessId: 1,
        userId: '0',
        userName: 'root',
        commandLine: 'curl http://198.51.100.7/x.sh',
        hitCount: 3,
      },
    ]);
    expect(eventAt(7, 'process').processes[0]).toMatchObject({
      action: 'fork',
      hitCount: 1,
    });
  });

  it('maps log records, leaving out an impossible timestamp with a warning', () => {
    expect(eventAt(8, 'log').records).toStrictEqual([
      { message: 'collector started', level: 'info', timestamp: 1_700_000_000, line: 42, filename: 'core.c' },
      { message: 'big', level: 'debug', line: 4_294_967_295, filename: 'x.c' },
      { message: '', level: 'notset', filename: '' },
    ]);
    expect(decoded.warnings).toContainEqual(
      expect.objectContaining({
        path: '$.events[8].payload.logs[1].timestamp',
        code: 'TIMESTAMP_OUT_OF_RANGE',
      }),
    );
  });

  it('reports an unset event time instead of inventing one', () => {
    expect(decoded.events[9]?.timeUtc).toBeNull();
    expect(decoded.events[9]?.collectionIntervalSeconds).toBeUndefined();
    expect(decoded.warnings).toContainEqual(
      expect.objectContaining({ path: '$.events[9].time', code: 'TIME_MISSING' }),
    );
  });

  it('carries the mti schema version and refuses an mti that says JSON', () => {
    expect(decodeFlatbuffersSecurityMessage(HAND_ASSEMBLED, parseMti('2.0-1-0-0')).schemaVersion).toBe('2.0');
    expect(() => decodeFlatbuffersSecurityMessage(HAND_ASSEMBLED, parseMti('2.3-0-0-0'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SCHEMA' }),
    );
  });

  it('normalises the hand-assembled bytes to the values written', () => {
    const message = decodeFlatbuffersSecurityMessage(HAND_ASSEMBLED, parseMti(RTOS_MTI));
    expect(message.warnings).toEqual([]);
    expect(message.events[0]).toMatchObject({
      kind: 'network-activity',
      flows: [{ protocol: 'udp', localPort: '49152', remotePort: '8883', bytesIn: 1234, bytesOut: 567 }],
    });
    expect(normaliseRtosMessage({ ...EVERY_PAYLOAD_MESSAGE, events: [] }).schemaVersion).toBe('2.3');
  });
});
