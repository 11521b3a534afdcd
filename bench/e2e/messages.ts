/**
 * The security messages the load generator sends, built once: a JSON 1.0 message as a Linux agent
 * writes it after a busy interval (one `ConnectionCreate` event with 50 network-flow items and a
 * `ProcessCreate`, ~8 KiB), the same traffic as an RTOS FlatBuffers 2.3 message, and the attack
 * message the latency probe sends. Event ids are placeholders the generator overwrites on every send
 * (see {@link stampEventIds}), because analytics stores events idempotently by id and a replayed id
 * would be skipped rather than measured.
 */
import {
  encodeRtosMessage,
  RTOS_MTI,
  SECURITY_INTERFACE_ID,
  type PropertyBagInput,
  type RtosNetworkFlow,
} from '@vigil/protocol';
import { connectionItem, jsonEvent, jsonSecurityMessage, processItem } from '@vigil/sim';

/** The message kinds the generator can send. */
export type MessageKind = 'json' | 'rtos';

/** A message body with the property bag of its topic and where its event ids sit. */
export interface MessageTemplate {
  readonly kind: MessageKind;
  readonly body: Buffer;
  readonly properties: PropertyBagInput;
  /** Byte offsets of each event id inside `body`: 36 characters of text, or 16 bytes in FlatBuffers. */
  readonly idOffsets: readonly number[];
  readonly idEncoding: 'text' | 'binary';
}

const FLOWS = 50;
const AT = Date.UTC(2026, 10, 1, 9, 15, 30);
/** Placeholder ids: `ffff000N-…` cannot occur anywhere else in the bodies. */
const placeholder = (n: number): string => `ffff000${n}-0000-4000-8000-000000000000`;

const jsonProperties: PropertyBagInput = {
  system: { interfaceId: SECURITY_INTERFACE_ID, contentType: 'application/json', contentEncoding: 'utf-8' },
};

function offsetsOf(body: Buffer, count: number, encoding: 'text' | 'binary'): number[] {
  return Array.from({ length: count }, (_, n) => {
    const text = placeholder(n + 1);
    const at = body.indexOf(encoding === 'text' ? text : Buffer.from(text.replaceAll('-', ''), 'hex'));
    if (at < 0) throw new Error(`event id ${n + 1} not found in the encoded message`);
    return at;
  });
}

/** ~8 KiB JSON 1.0: 50 outbound flows of a gateway's telemetry uploader, and one process start. */
export function jsonTemplate(): MessageTemplate {
  const flows = Array.from({ length: FLOWS }, (_, i) =>
    connectionItem({
      remoteAddress: `52.1.${i}.9`,
      remotePort: 443,
      localAddress: '10.0.4.17',
      localPort: 40_000 + i,
      direction: 'Out',
      protocol: 'tcp',
      processId: 4_100 + (i % 5),
      executable: '/bin/up',
      commandLine: 'up',
      userId: '998',
    }),
  );
  const message = jsonSecurityMessage('5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f', [
    jsonEvent({
      id: placeholder(1),
      at: AT,
      name: 'ConnectionCreate',
      category: 'Triggered',
      payload: flows,
    }),
    jsonEvent({
      id: placeholder(2),
      at: AT,
      name: 'ProcessCreate',
      category: 'Triggered',
      payload: [
        processItem({
          executable: '/usr/sbin/logrotate',
          commandLine: '/usr/sbin/logrotate /etc/logrotate.conf',
          processId: 4_321,
          parentProcessId: 1,
          userId: '0',
          userName: 'root',
        }),
      ],
    }),
  ]);
  const body = Buffer.from(JSON.stringify(message));
  return {
    kind: 'json',
    body,
    properties: jsonProperties,
    idOffsets: offsetsOf(body, 2, 'text'),
    idEncoding: 'text',
  };
}

function rtosFlow(i: number): RtosNetworkFlow {
  return {
    localAddress: '192.168.1.20',
    remoteAddress: `52.${i % 250}.${(i * 13) % 250}.${(i * 7) % 250}`,
    common: {
      localPort: 40_000 + i,
      remotePort: 443,
      bytesIn: 1_000 + i * 37,
      bytesOut: 300 + i * 11,
      protocol: 'tcp',
      processId: 0,
      userId: 0,
    },
  };
}

/** The same 50 flows as one RTOS collection cycle (NetworkActivity, SystemInformation, Heartbeat). */
export function rtosTemplate(): MessageTemplate {
  const time = Math.floor(AT / 1000);
  const body = Buffer.from(
    encodeRtosMessage({
      securityModuleId: 'defender-iot-micro-agent',
      securityModuleVersion: 50_659_332,
      timezone: 0,
      events: [
        {
          id: placeholder(1),
          time,
          collectionInterval: 10,
          payload: {
            type: 'NetworkActivity',
            ipv4Activity: Array.from({ length: FLOWS }, (_, i) => rtosFlow(i)),
            ipv6Activity: [],
          },
        },
        {
          id: placeholder(2),
          time,
          collectionInterval: 60,
          payload: { type: 'SystemInformation', osInfo: 'Azure RTOS 6.2' },
        },
        { id: placeholder(3), time, collectionInterval: 60, payload: { type: 'Heartbeat' } },
      ],
    }),
  );
  return {
    kind: 'rtos',
    body,
    properties: { system: { interfaceId: SECURITY_INTERFACE_ID }, application: { mti: RTOS_MTI } },
    idOffsets: offsetsOf(body, 3, 'binary'),
    idEncoding: 'binary',
  };
}

/** The template of a kind. */
export function messageTemplate(kind: MessageKind): MessageTemplate {
  return kind === 'json' ? jsonTemplate() : rtosTemplate();
}

/** A crypto-miner start (Vigil_CryptoMiner from one message): the latency probe's attack. */
export function attackTemplate(): MessageTemplate {
  const message = jsonSecurityMessage('5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e60', [
    jsonEvent({
      id: placeholder(1),
      at: AT,
      name: 'ProcessCreate',
      category: 'Triggered',
      payload: [
        processItem({
          executable: '/tmp/.x/xmrig',
          commandLine:
            '/tmp/.x/xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ --donate-level 1',
          processId: 31_337,
          parentProcessId: 1_200,
          userId: '1000',
          userName: 'pi',
        }),
      ],
    }),
  ]);
  const body = Buffer.from(JSON.stringify(message));
  return {
    kind: 'json',
    body,
    properties: jsonProperties,
    idOffsets: offsetsOf(body, 1, 'text'),
    idEncoding: 'text',
  };
}

const HEX = '0123456789abcdef';

/**
 * Writes fresh ids into a message (in place, inside an encoded PUBLISH): the first group carries the
 * sender, the last the sequence number, so ids never repeat for a device within a run.
 */
export function stampEventIds(
  packet: Buffer,
  offset: number,
  template: Pick<MessageTemplate, 'idOffsets' | 'idEncoding'>,
  sender: number,
  sequence: number,
): void {
  const { idOffsets } = template;
  for (let e = 0; e < idOffsets.length; e++) {
    const at = offset + (idOffsets[e] ?? 0);
    const n = sequence * idOffsets.length + e;
    if (template.idEncoding === 'binary') {
      packet.writeUInt32BE(sender >>> 0, at);
      packet.writeUIntBE(n, at + 10, 6);
      continue;
    }
    let s = sender;
    for (let i = 7; i >= 0; i--, s = Math.floor(s / 16)) packet[at + i] = HEX.charCodeAt(s % 16);
    let m = n;
    for (let i = 35; i >= 24; i--, m = Math.floor(m / 16)) packet[at + i] = HEX.charCodeAt(m % 16);
  }
}
