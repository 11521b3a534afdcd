/**
 * Table accessors for a VERIFIED "AzureIoTSecurity" 2.3 buffer (reference/azure-security-module.md §1.7),
 * written by hand on the `flatbuffers` runtime's `ByteBuffer` in place of flatc output. Field ids are the
 * schema's (slot = 4 + 2 * id). They do no bounds checks of their own: only `decodeRtosMessage`, which
 * runs the verifier first, may call them.
 */
import { ByteBuffer } from 'flatbuffers';
import { ProtocolError } from '../errors/index.js';
import { formatIpv4, formatIpv6 } from './ip-address.js';
import {
  RTOS_LOG_LEVELS,
  RTOS_PAYLOAD_TYPES,
  RTOS_PROCESS_EVENT_TYPES,
  RTOS_PROTOCOLS,
  RTOS_RESULTS,
  RTOS_SEVERITIES,
  type RtosBaselineCheck,
  type RtosEvent,
  type RtosListeningPort,
  type RtosLogRecord,
  type RtosNetworkActivityCommon,
  type RtosNetworkFlow,
  type RtosPayload,
  type RtosPayloadOf,
  type RtosSecurityMessage,
} from './rtos-message.js';

/** Decoded objects are built up field by field before they are handed out read-only. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Position of field `id` of the table at `table`, or 0 when absent (unsigned reads, unlike `__offset`). */
function field(bb: ByteBuffer, table: number, id: number): number {
  const vtable = table - bb.readInt32(table);
  const entry = 4 + 2 * id;
  const offset = entry < bb.readUint16(vtable) ? bb.readUint16(vtable + entry) : 0;
  return offset === 0 ? 0 : table + offset;
}

const u8 = (bb: ByteBuffer, t: number, id: number, fallback = 0): number => {
  const at = field(bb, t, id);
  return at ? bb.readUint8(at) : fallback;
};
const u16 = (bb: ByteBuffer, t: number, id: number): number => {
  const at = field(bb, t, id);
  return at ? bb.readUint16(at) : 0;
};
const u32 = (bb: ByteBuffer, t: number, id: number, fallback = 0): number => {
  const at = field(bb, t, id);
  return at ? bb.readUint32(at) : fallback;
};
const enumName = <T>(names: readonly T[], value: number): T => names[value] as T;

/** Adds `key: string` to `out` when the string field is present. */
function optionalString<K extends string>(
  bb: ByteBuffer,
  t: number,
  id: number,
  key: K,
  out: Partial<Record<K, string>>,
): void {
  const at = field(bb, t, id);
  if (at) out[key] = bb.__string(at) as string;
}

function requiredString(bb: ByteBuffer, t: number, id: number): string {
  return bb.__string(field(bb, t, id)) as string;
}

/** Positions of the tables of a vector-of-tables field (empty when absent). */
function tables(bb: ByteBuffer, t: number, id: number): number[] {
  const at = field(bb, t, id);
  if (!at) return [];
  const vector = bb.__indirect(at);
  const length = bb.readUint32(vector);
  const out = new Array<number>(length);
  for (let i = 0; i < length; i += 1) out[i] = bb.__indirect(vector + 4 + 4 * i);
  return out;
}

function flow(bb: ByteBuffer, t: number, version: 4 | 6): RtosNetworkFlow {
  const addresses = field(bb, t, 0);
  const bytes = bb.bytes();
  const c = bb.__indirect(field(bb, t, 1));
  const common: Mutable<RtosNetworkActivityCommon> = {
    localPort: u16(bb, c, 0),
    remotePort: u16(bb, c, 1),
    bytesIn: u32(bb, c, 2),
    bytesOut: u32(bb, c, 3),
    protocol: enumName(RTOS_PROTOCOLS, u8(bb, c, 4)),
    processId: u16(bb, c, 5),
    userId: u16(bb, c, 6),
  };
  optionalString(bb, c, 7, 'executable', common);
  optionalString(bb, c, 8, 'commandline', common);
  return version === 4
    ? { localAddress: formatIpv4(bytes, addresses), remoteAddress: formatIpv4(bytes, addresses + 4), common }
    : {
        localAddress: formatIpv6(bytes, addresses),
        remoteAddress: formatIpv6(bytes, addresses + 16),
        common,
      };
}

function ports(bb: ByteBuffer, t: number, id: number, version: 4 | 6): RtosListeningPort[] {
  const at = field(bb, t, id);
  if (!at) return [];
  const vector = bb.__indirect(at);
  const length = bb.readUint32(vector);
  const size = version === 4 ? 8 : 20;
  const common = version === 4 ? 4 : 16;
  const out: RtosListeningPort[] = [];
  for (let i = 0; i < length; i += 1) {
    const s = vector + 4 + i * size;
    out.push({
      localAddress: version === 4 ? formatIpv4(bb.bytes(), s) : formatIpv6(bb.bytes(), s),
      localPort: bb.readUint16(s + common),
      protocol: enumName(RTOS_PROTOCOLS, bb.readUint8(s + common + 2)),
    });
  }
  return out;
}

function baselineCheck(bb: ByteBuffer, t: number): RtosBaselineCheck {
  const check: Mutable<RtosBaselineCheck> = {
    id: requiredString(bb, t, 0),
    result: enumName(RTOS_RESULTS, u8(bb, t, 1)),
    severity: enumName(RTOS_SEVERITIES, u8(bb, t, 4)),
  };
  optionalString(bb, t, 2, 'error', check);
  optionalString(bb, t, 3, 'description', check);
  optionalString(bb, t, 5, 'remediation', check);
  return check;
}

function logRecord(bb: ByteBuffer, t: number): RtosLogRecord {
  const timestamp = field(bb, t, 2);
  return {
    message: requiredString(bb, t, 0),
    level: enumName(RTOS_LOG_LEVELS, u8(bb, t, 1)),
    timestamp: timestamp ? bb.readUint64(timestamp) : 0n,
    line: u32(bb, t, 3),
    filename: requiredString(bb, t, 4),
  };
}

function payload(bb: ByteBuffer, tag: number, t: number): RtosPayload {
  const type = RTOS_PAYLOAD_TYPES[tag];
  switch (type) {
    case 'NetworkActivity':
      return {
        type,
        ipv4Activity: tables(bb, t, 0).map((f) => flow(bb, f, 4)),
        ipv6Activity: tables(bb, t, 1).map((f) => flow(bb, f, 6)),
      };
    case 'SystemInformation': {
      const info: Mutable<RtosPayloadOf<'SystemInformation'>> = { type };
      optionalString(bb, t, 0, 'osInfo', info);
      optionalString(bb, t, 1, 'kernelInfo', info);
      optionalString(bb, t, 2, 'hwInfo', info);
      return info;
    }
    case 'ListeningPorts':
      return { type, ipv4Ports: ports(bb, t, 0, 4), ipv6Ports: ports(bb, t, 1, 6) };
    case 'Heartbeat':
      return { type };
    case 'Baseline':
      return { type, baselineChecks: tables(bb, t, 0).map((c) => baselineCheck(bb, c)) };
    case 'Process': {
      const process: Mutable<RtosPayloadOf<'Process'>> = {
        type,
        processId: u32(bb, t, 1),
        parentProcessId: u32(bb, t, 2),
        userId: u32(bb, t, 3),
        eventType: enumName(RTOS_PROCESS_EVENT_TYPES, u8(bb, t, 6)),
        hitCount: u32(bb, t, 7, 1),
      };
      optionalString(bb, t, 0, 'executable', process);
      optionalString(bb, t, 4, 'userName', process);
      optionalString(bb, t, 5, 'commandline', process);
      return process;
    }
    case 'Log':
      return { type, logs: tables(bb, t, 0).map((r) => logRecord(bb, r)) };
    case 'NONE':
    case undefined:
      break;
  }
  // NONE and unknown tags: the verifier rejects these, so reaching here means it was skipped
  throw new ProtocolError('INTERNAL', `unverified union type ${tag}`);
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i += 1) text += (bytes[i] ?? 0).toString(16).padStart(2, '0');
  return text;
}

function event(bb: ByteBuffer, t: number): RtosEvent {
  const id = field(bb, t, 0);
  const b = bb.bytes();
  return {
    id: `${hex(b, id, id + 4)}-${hex(b, id + 4, id + 6)}-${hex(b, id + 6, id + 8)}-${hex(b, id + 8, id + 10)}-${hex(b, id + 10, id + 16)}`,
    time: u32(bb, t, 1),
    collectionInterval: u32(bb, t, 2),
    payload: payload(bb, u8(bb, t, 3), bb.__indirect(field(bb, t, 4))),
  };
}

/** Reads the `Message` at `root` of a buffer the verifier has accepted. */
export function readVerifiedMessage(bytes: Uint8Array, root: number): RtosSecurityMessage {
  const bb = new ByteBuffer(bytes);
  const timezone = field(bb, root, 2);
  return {
    securityModuleId: requiredString(bb, root, 0),
    securityModuleVersion: u32(bb, root, 1),
    timezone: timezone ? bb.readInt8(timezone) : 0,
    events: tables(bb, root, 3).map((e) => event(bb, e)),
  };
}
