/**
 * Sample RTOS messages covering every payload type and every optional field, shaped like what the RTOS
 * module (NetworkActivity, SystemInformation, Heartbeat) and the Linux micro agent (the rest) send.
 */
import type { RtosEvent, RtosNetworkFlow, RtosSecurityMessage } from '../rtos-message.js';

/** 3.5.4 encoded as (major << 24) | (minor << 16) | patch (reference §1.6). */
export const MODULE_VERSION_3_5_4 = 50_659_332;

const base = { time: 1_700_000_000, collectionInterval: 10 };

function id(n: number): string {
  return `0a1b2c3d-4e5f-6071-8293-${n.toString(16).padStart(12, '0')}`;
}

/** An RTOS-like flow: only ports, byte counts and protocol (reference §1.7). */
export function rtosFlow(n: number, version: 4 | 6 = 4): RtosNetworkFlow {
  return {
    localAddress: version === 4 ? '192.168.1.20' : 'fe80::1',
    remoteAddress: version === 4 ? `52.1.${(n >> 8) & 255}.${n & 255}` : `2001:db8::${(n + 1).toString(16)}`,
    common: {
      localPort: 49_152 + n,
      remotePort: 8883,
      bytesIn: 1000 + n * 7,
      bytesOut: 400 + n * 3,
      protocol: n % 5 === 4 ? 'udp' : 'tcp',
      processId: 0,
      userId: 0,
    },
  };
}

/** One event of every payload type. */
export const EVERY_PAYLOAD: readonly RtosEvent[] = [
  {
    id: id(1),
    ...base,
    payload: {
      type: 'NetworkActivity',
      ipv4Activity: [
        rtosFlow(1),
        {
          localAddress: '10.0.0.2',
          remoteAddress: '255.255.255.255',
          common: {
            localPort: 0,
            remotePort: 0,
            bytesIn: 4_294_967_295,
            bytesOut: 0,
            protocol: 'icmp',
            processId: 65_535,
            userId: 1000,
            executable: '/usr/bin/ping',
            commandline: 'ping -c 1 10.0.0.1',
          },
        },
      ],
      ipv6Activity: [
        rtosFlow(2, 6),
        { ...rtosFlow(3, 6), localAddress: '::ffff:10.1.2.3', remoteAddress: '::' },
      ],
    },
  },
  {
    id: id(2),
    ...base,
    collectionInterval: 60,
    payload: {
      type: 'SystemInformation',
      osInfo: 'Azure RTOS 6.2',
      kernelInfo: 'ThreadX 6.2.0',
      hwInfo: 'STM32L4+ — 1 MiB',
    },
  },
  { id: id(3), ...base, collectionInterval: 60, payload: { type: 'SystemInformation' } },
  { id: id(4), ...base, collectionInterval: 60, payload: { type: 'Heartbeat' } },
  {
    id: id(5),
    ...base,
    payload: {
      type: 'ListeningPorts',
      ipv4Ports: [
        { localAddress: '0.0.0.0', localPort: 22, protocol: 'tcp' },
        { localAddress: '127.0.0.1', localPort: 53, protocol: 'udp' },
      ],
      ipv6Ports: [{ localAddress: '::', localPort: 443, protocol: 'tcp' }],
    },
  },
  {
    id: id(6),
    ...base,
    payload: {
      type: 'Baseline',
      baselineChecks: [
        {
          id: 'CIS-5.2.8',
          result: 'fail',
          severity: 'critical',
          description: 'SSH root login',
          remediation: 'PermitRootLogin no',
        },
        { id: 'CIS-1.1.1', result: 'pass', severity: 'informational' },
        { id: 'CIS-9.9', result: 'error', severity: 'warning', error: 'permission denied', description: '' },
      ],
    },
  },
  {
    id: id(7),
    ...base,
    payload: {
      type: 'Process',
      executable: '/usr/bin/curl',
      processId: 4_000_000_000,
      parentProcessId: 1,
      userId: 0,
      userName: 'root',
      commandline: 'curl http://198.51.100.7/x.sh',
      eventType: 'exec',
      hitCount: 3,
    },
  },
  {
    id: id(8),
    ...base,
    payload: {
      type: 'Process',
      processId: 12,
      parentProcessId: 0,
      userId: 0,
      eventType: 'fork',
      hitCount: 1,
    },
  },
  {
    id: id(9),
    ...base,
    payload: {
      type: 'Log',
      logs: [
        {
          message: 'collector started',
          level: 'info',
          timestamp: 1_700_000_000n,
          line: 42,
          filename: 'core.c',
        },
        {
          message: 'big',
          level: 'debug',
          timestamp: 18_446_744_073_709_551_615n,
          line: 4_294_967_295,
          filename: 'x.c',
        },
        { message: '', level: 'notset', timestamp: 0n, line: 0, filename: '' },
      ],
    },
  },
  {
    id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    time: 0,
    collectionInterval: 0,
    payload: { type: 'Log', logs: [] },
  },
];

/** A message carrying {@link EVERY_PAYLOAD}. */
export const EVERY_PAYLOAD_MESSAGE: RtosSecurityMessage = {
  securityModuleId: 'defender-iot-micro-agent',
  securityModuleVersion: MODULE_VERSION_3_5_4,
  timezone: -5,
  events: EVERY_PAYLOAD,
};

/** What RTOS_BASE sends every 60 s with traffic: network activity (n IPv4 flows), system information, heartbeat. */
export function rtosCycleMessage(flows: number): RtosSecurityMessage {
  return {
    securityModuleId: 'defender-iot-micro-agent',
    securityModuleVersion: MODULE_VERSION_3_5_4,
    timezone: 0,
    events: [
      {
        id: id(100),
        ...base,
        payload: {
          type: 'NetworkActivity',
          ipv4Activity: Array.from({ length: flows }, (_, n) => rtosFlow(n)),
          ipv6Activity: [],
        },
      },
      {
        id: id(101),
        ...base,
        collectionInterval: 60,
        payload: { type: 'SystemInformation', osInfo: 'Azure RTOS 6.2' },
      },
      { id: id(102), ...base, collectionInterval: 60, payload: { type: 'Heartbeat' } },
    ],
  };
}
