/**
 * The same facts sent as RTOS FlatBuffers and as JSON 1.0 must land in the same event model, field for
 * field, where both formats carry them (packages/protocol/src/events/model.ts).
 */
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../events/index.js';
import { parseJsonSecurityMessage } from '../json/index.js';
import {
  decodeFlatbuffersSecurityMessage,
  encodeRtosMessage,
  parseMti,
  RTOS_MTI,
  type RtosNetworkFlow,
} from './index.js';

const ID = (n: number): string => `0c1d2e3f-4a5b-4c6d-8e7f-00000000000${n}`;
const TIME = 1_709_630_130;
const FLOWS = [
  {
    local: '192.168.1.20',
    remote: '52.1.2.3',
    localPort: 40_000,
    remotePort: 443,
    protocol: 'tcp' as const,
    v: 4,
  },
  {
    local: 'fe80::1ff:fe23:4567:890a',
    remote: '2001:db8::7',
    localPort: 40_001,
    remotePort: 53,
    protocol: 'udp' as const,
    v: 6,
  },
];

function rtosFlow(f: (typeof FLOWS)[number]): RtosNetworkFlow {
  return {
    localAddress: f.local,
    remoteAddress: f.remote,
    common: {
      localPort: f.localPort,
      remotePort: f.remotePort,
      bytesIn: 10,
      bytesOut: 20,
      protocol: f.protocol,
      processId: 0,
      userId: 0,
    },
  };
}

const rtos = encodeRtosMessage({
  securityModuleId: 'defender-iot-micro-agent',
  securityModuleVersion: 50_659_332,
  timezone: 0,
  events: [
    {
      id: ID(1),
      time: TIME,
      collectionInterval: 10,
      payload: {
        type: 'NetworkActivity',
        ipv4Activity: FLOWS.filter((f) => f.v === 4).map(rtosFlow),
        ipv6Activity: FLOWS.filter((f) => f.v === 6).map(rtosFlow),
      },
    },
    {
      id: ID(2),
      time: TIME,
      collectionInterval: 60,
      payload: {
        type: 'ListeningPorts',
        ipv4Ports: [{ localAddress: '0.0.0.0', localPort: 22, protocol: 'tcp' }],
        ipv6Ports: [],
      },
    },
    {
      id: ID(3),
      time: TIME,
      collectionInterval: 60,
      payload: { type: 'SystemInformation', osInfo: 'Azure RTOS 6.2' },
    },
  ],
});

const envelope = (
  n: number,
  name: string,
  category: string,
  payload: unknown[],
): Record<string, unknown> => ({
  Id: ID(n),
  TimestampLocal: '2024-03-05T09:15:30Z',
  TimestampUTC: '2024-03-05T09:15:30Z',
  Category: category,
  Name: name,
  EventType: 'Security',
  IsEmpty: false,
  PayloadSchemaVersion: '1.0',
  Payload: payload,
});
const json = new TextEncoder().encode(
  JSON.stringify({
    AgentVersion: '3.5.4',
    AgentId: '9c647395-b913-4997-a732-a7fe7303b649',
    MessageSchemaVersion: '1.0',
    Events: [
      envelope(
        1,
        'ConnectionCreate',
        'Triggered',
        FLOWS.map((f) => ({
          RemoteAddress: f.remote,
          RemotePort: String(f.remotePort),
          LocalAddress: f.local,
          LocalPort: String(f.localPort),
          Direction: 'Out',
          Protocol: f.protocol.toUpperCase(),
          ProcessId: 0,
          Executable: 'unknown',
        })),
      ),
      envelope(2, 'ListeningPorts', 'Periodic', [
        { LocalPort: '22', Protocol: 'tcp', LocalAddress: '0.0.0.0' },
      ]),
      envelope(3, 'SystemInformation', 'Periodic', [{ OSName: 'Azure RTOS', OSVersion: '6.2' }]),
    ],
  }),
);

/** The facts both formats carry. */
function shared(event: SecurityEvent | undefined): unknown {
  if (!event) return undefined;
  const header = {
    id: event.id,
    kind: event.kind,
    eventType: event.eventType,
    category: event.category,
    timeUtc: event.timeUtc,
  };
  if (event.kind === 'network-activity') {
    const flows = event.flows.map(
      ({ ipVersion, protocol, localAddress, remoteAddress, localPort, remotePort }) => ({
        ipVersion,
        protocol,
        localAddress,
        remoteAddress,
        localPort,
        remotePort,
      }),
    );
    return { ...header, flows };
  }
  if (event.kind === 'listening-ports') return { ...header, ports: event.ports };
  if (event.kind === 'system-information') {
    return { ...header, osName: event.info.osName, osVersion: event.info.osVersion };
  }
  return header;
}

describe('RTOS FlatBuffers and JSON 1.0 carrying the same facts', () => {
  it('normalise to the same events', () => {
    const fromRtos = decodeFlatbuffersSecurityMessage(rtos, parseMti(RTOS_MTI));
    const fromJson = parseJsonSecurityMessage(json);
    expect(fromRtos.events).toHaveLength(3);
    expect(fromRtos.events.map(shared)).toEqual(fromJson.events.map(shared));
  });
});
