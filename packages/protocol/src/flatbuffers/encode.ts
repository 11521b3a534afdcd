/**
 * `encodeRtosMessage`: builds the FlatBuffers bytes of an "AzureIoTSecurity" 2.3 message, as the RTOS
 * module's flatcc builder would (reference/azure-security-module.md §1.7, azure-iot-security.fbs). The
 * field ids passed to the runtime's `Builder` are the schema ids (it computes slot = 4 + 2 * id).
 */
import { Builder, type Offset } from 'flatbuffers';
import { ProtocolError } from '../errors/index.js';
import { validateRtosMessage, addressBytes, uuidBytes } from './encode-validate.js';
import {
  RTOS_LOG_LEVELS,
  RTOS_MAX_MESSAGE_BYTES,
  RTOS_PAYLOAD_TYPES,
  RTOS_PROCESS_EVENT_TYPES,
  RTOS_PROTOCOLS,
  RTOS_RESULTS,
  RTOS_SEVERITIES,
  type RtosBaselineCheck,
  type RtosEvent,
  type RtosListeningPort,
  type RtosLogRecord,
  type RtosNetworkFlow,
  type RtosPayload,
  type RtosSecurityMessage,
} from './rtos-message.js';

/** Options for {@link encodeRtosMessage}. */
export interface EncodeRtosOptions {
  /** Reject results larger than this (default {@link RTOS_MAX_MESSAGE_BYTES}) with MESSAGE_TOO_LARGE. */
  readonly maxBytes?: number;
}

/** Writes raw bytes as a struct's inline data; the builder grows backwards, so last byte first. */
function writeBytes(b: Builder, bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i -= 1) b.writeInt8(bytes[i] ?? 0);
}

function optionalString(b: Builder, text: string | undefined): Offset {
  return text === undefined ? 0 : b.createString(text);
}

function tableVector(b: Builder, offsets: readonly Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i -= 1) b.addOffset(offsets[i] ?? 0);
  return b.endVector();
}

function networkFlow(b: Builder, flow: RtosNetworkFlow, version: 4 | 6): Offset {
  const c = flow.common;
  const executable = optionalString(b, c.executable);
  const commandline = optionalString(b, c.commandline);
  b.startObject(9);
  b.addFieldInt32(2, c.bytesIn, 0);
  b.addFieldInt32(3, c.bytesOut, 0);
  b.addFieldOffset(7, executable, 0);
  b.addFieldOffset(8, commandline, 0);
  b.addFieldInt16(0, c.localPort, 0);
  b.addFieldInt16(1, c.remotePort, 0);
  b.addFieldInt16(5, c.processId, 0);
  b.addFieldInt16(6, c.userId, 0);
  b.addFieldInt8(4, RTOS_PROTOCOLS.indexOf(c.protocol), 0);
  const common = b.endObject();
  b.startObject(2);
  b.addFieldOffset(1, common, 0);
  // IPv4Addresses / IPv6Addresses { local_address; remote_address }: 8 or 32 bytes, 4-aligned.
  const size = version === 4 ? 4 : 16;
  b.prep(4, 2 * size);
  writeBytes(b, addressBytes(flow.remoteAddress, version));
  writeBytes(b, addressBytes(flow.localAddress, version));
  b.addFieldStruct(0, b.offset(), 0);
  return b.endObject();
}

function listeningPorts(b: Builder, ports: readonly RtosListeningPort[], version: 4 | 6): Offset {
  // ListeningPortsV4 (8 bytes) / V6 (20 bytes): address, then ListeningPortsCommon { u16 port; i8 protocol; pad }.
  const size = version === 4 ? 8 : 20;
  b.startVector(size, ports.length, 4);
  for (let i = ports.length - 1; i >= 0; i -= 1) {
    const port = ports[i];
    if (port === undefined) continue;
    b.prep(4, size);
    b.pad(1);
    b.writeInt8(RTOS_PROTOCOLS.indexOf(port.protocol));
    b.writeInt16(port.localPort);
    writeBytes(b, addressBytes(port.localAddress, version));
  }
  return b.endVector();
}

function baselineCheck(b: Builder, check: RtosBaselineCheck): Offset {
  const id = b.createString(check.id);
  const error = optionalString(b, check.error);
  const description = optionalString(b, check.description);
  const remediation = optionalString(b, check.remediation);
  b.startObject(6);
  b.addFieldOffset(0, id, 0);
  b.addFieldOffset(2, error, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(5, remediation, 0);
  b.addFieldInt8(1, RTOS_RESULTS.indexOf(check.result), 0);
  b.addFieldInt8(4, RTOS_SEVERITIES.indexOf(check.severity), 0);
  return b.endObject();
}

function logRecord(b: Builder, record: RtosLogRecord): Offset {
  const message = b.createString(record.message);
  const filename = b.createString(record.filename);
  b.startObject(5);
  b.addFieldInt64(2, record.timestamp, 0n);
  b.addFieldOffset(0, message, 0);
  b.addFieldInt32(3, record.line, 0);
  b.addFieldOffset(4, filename, 0);
  b.addFieldInt8(1, RTOS_LOG_LEVELS.indexOf(record.level), 0);
  return b.endObject();
}

function payload(b: Builder, p: RtosPayload): Offset {
  switch (p.type) {
    case 'NetworkActivity': {
      const v4 = p.ipv4Activity.length
        ? tableVector(
            b,
            p.ipv4Activity.map((f) => networkFlow(b, f, 4)),
          )
        : 0;
      const v6 = p.ipv6Activity.length
        ? tableVector(
            b,
            p.ipv6Activity.map((f) => networkFlow(b, f, 6)),
          )
        : 0;
      b.startObject(2);
      b.addFieldOffset(0, v4, 0);
      b.addFieldOffset(1, v6, 0);
      return b.endObject();
    }
    case 'SystemInformation': {
      const os = optionalString(b, p.osInfo);
      const kernel = optionalString(b, p.kernelInfo);
      const hw = optionalString(b, p.hwInfo);
      b.startObject(3);
      b.addFieldOffset(0, os, 0);
      b.addFieldOffset(1, kernel, 0);
      b.addFieldOffset(2, hw, 0);
      return b.endObject();
    }
    case 'ListeningPorts': {
      const v4 = p.ipv4Ports.length ? listeningPorts(b, p.ipv4Ports, 4) : 0;
      const v6 = p.ipv6Ports.length ? listeningPorts(b, p.ipv6Ports, 6) : 0;
      b.startObject(2);
      b.addFieldOffset(0, v4, 0);
      b.addFieldOffset(1, v6, 0);
      return b.endObject();
    }
    case 'Heartbeat':
      b.startObject(0);
      return b.endObject();
    case 'Baseline': {
      const checks = p.baselineChecks.length
        ? tableVector(
            b,
            p.baselineChecks.map((c) => baselineCheck(b, c)),
          )
        : 0;
      b.startObject(1);
      b.addFieldOffset(0, checks, 0);
      return b.endObject();
    }
    case 'Process': {
      const executable = optionalString(b, p.executable);
      const userName = optionalString(b, p.userName);
      const commandline = optionalString(b, p.commandline);
      b.startObject(8);
      b.addFieldOffset(0, executable, 0);
      b.addFieldInt32(1, p.processId, 0);
      b.addFieldInt32(2, p.parentProcessId, 0);
      b.addFieldInt32(3, p.userId, 0);
      b.addFieldOffset(4, userName, 0);
      b.addFieldOffset(5, commandline, 0);
      b.addFieldInt32(7, p.hitCount, 1);
      b.addFieldInt8(6, RTOS_PROCESS_EVENT_TYPES.indexOf(p.eventType), 0);
      return b.endObject();
    }
    case 'Log': {
      const logs = p.logs.length
        ? tableVector(
            b,
            p.logs.map((r) => logRecord(b, r)),
          )
        : 0;
      b.startObject(1);
      b.addFieldOffset(0, logs, 0);
      return b.endObject();
    }
  }
}

function event(b: Builder, e: RtosEvent): Offset {
  const body = payload(b, e.payload);
  b.startObject(5);
  b.addFieldInt32(1, e.time, 0);
  b.addFieldInt32(2, e.collectionInterval, 0);
  b.addFieldOffset(4, body, 0);
  b.prep(1, 16); // UUID { value: [ubyte:16] }
  writeBytes(b, uuidBytes(e.id));
  b.addFieldStruct(0, b.offset(), 0);
  b.addFieldInt8(3, RTOS_PAYLOAD_TYPES.indexOf(e.payload.type), 0);
  return b.endObject();
}

/**
 * Encodes a message into FlatBuffers bytes (no file identifier, like RTOS). Input that the schema cannot
 * carry (a port over 65535, a malformed address or id) is rejected with INVALID_SECURITY_MESSAGE listing
 * every violation; a result over the size limit with MESSAGE_TOO_LARGE.
 */
export function encodeRtosMessage(message: RtosSecurityMessage, options: EncodeRtosOptions = {}): Uint8Array {
  validateRtosMessage(message);
  const b = new Builder(1024);
  const events = tableVector(
    b,
    message.events.map((e) => event(b, e)),
  );
  const id = b.createString(message.securityModuleId);
  b.startObject(4);
  b.addFieldOffset(0, id, 0);
  b.addFieldInt32(1, message.securityModuleVersion, 0);
  b.addFieldOffset(3, events, 0);
  b.addFieldInt8(2, message.timezone, 0);
  b.finish(b.endObject());
  const bytes = b.asUint8Array();
  const maxBytes = options.maxBytes ?? RTOS_MAX_MESSAGE_BYTES;
  if (bytes.length > maxBytes) {
    throw new ProtocolError(
      'MESSAGE_TOO_LARGE',
      `encoded message is ${bytes.length} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  return bytes;
}
