/**
 * The handful of MQTT 3.1.1 packets a device needs (OASIS MQTT 3.1.1 §2–§3), encoded and decoded
 * by hand: CONNECT/CONNACK, PUBLISH (QoS 0 and 1)/PUBACK, SUBSCRIBE/SUBACK, PINGREQ/PINGRESP and
 * DISCONNECT. mqtt.js does this too, but loading it costs a device about 20 MB of memory (its
 * streams, WebSocket and packet-id caches); the agent must stay near the footprint of Node itself.
 */

/** Packet types (MQTT 3.1.1 §2.2.1). */
export const PACKET = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  SUBSCRIBE: 8,
  SUBACK: 9,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
} as const;

/** What CONNECT carries. */
export interface ConnectFields {
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly clean: boolean;
  readonly keepaliveSeconds: number;
}

/** A decoded packet from the server. */
export type IncomingPacket =
  | { readonly type: 'connack'; readonly returnCode: number; readonly sessionPresent: boolean }
  | {
      readonly type: 'publish';
      readonly topic: string;
      readonly payload: Buffer;
      readonly qos: number;
      readonly packetId?: number;
    }
  | { readonly type: 'puback'; readonly packetId: number }
  | { readonly type: 'suback'; readonly packetId: number; readonly granted: readonly number[] }
  | { readonly type: 'pingresp' }
  | { readonly type: 'other'; readonly packetType: number };

function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

function utf8(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeUInt16BE(body.length, 0);
  body.copy(out, 2);
  return out;
}

function packet(firstByte: number, parts: readonly Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body]);
}

/** CONNECT with protocol name `MQTT`, level 4 (reference/iothub-mqtt.md §1.1). */
export function encodeConnect(fields: ConnectFields): Buffer {
  let flags = fields.clean ? 0x02 : 0;
  if (fields.username !== undefined) flags |= 0x80;
  if (fields.password !== undefined) flags |= 0x40;
  const header = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, flags, 0, 0]);
  header.writeUInt16BE(fields.keepaliveSeconds, 8);
  const parts = [header, utf8(fields.clientId)];
  if (fields.username !== undefined) parts.push(utf8(fields.username));
  if (fields.password !== undefined) parts.push(utf8(fields.password));
  return packet(PACKET.CONNECT << 4, parts);
}

/** PUBLISH; `packetId` is required for QoS 1. */
export function encodePublish(topic: string, payload: Uint8Array, qos: 0 | 1, packetId?: number): Buffer {
  const parts = [utf8(topic)];
  if (qos === 1) {
    const id = Buffer.allocUnsafe(2);
    id.writeUInt16BE(packetId ?? 1, 0);
    parts.push(id);
  }
  parts.push(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  return packet((PACKET.PUBLISH << 4) | (qos << 1), parts);
}

/** PUBACK for a received QoS 1 PUBLISH. */
export function encodePuback(packetId: number): Buffer {
  return Buffer.from([PACKET.PUBACK << 4, 2, packetId >> 8, packetId & 0xff]);
}

/** SUBSCRIBE to one filter (the reserved flag bits are 0010, §3.8.1). */
export function encodeSubscribe(packetId: number, filter: string, qos: 0 | 1): Buffer {
  const id = Buffer.from([packetId >> 8, packetId & 0xff]);
  return packet((PACKET.SUBSCRIBE << 4) | 0x02, [id, utf8(filter), Buffer.from([qos])]);
}

/** PINGREQ. */
export const PINGREQ = Buffer.from([PACKET.PINGREQ << 4, 0]);
/** DISCONNECT. */
export const DISCONNECT = Buffer.from([PACKET.DISCONNECT << 4, 0]);

/** Largest packet accepted from the server (the hub's own frame limit is 288 KiB). */
export const MAX_INCOMING_PACKET = 512 * 1024;

function decode(type: number, flags: number, body: Buffer): IncomingPacket {
  switch (type) {
    case PACKET.CONNACK:
      return {
        type: 'connack',
        sessionPresent: (body[0] ?? 0) & 1 ? true : false,
        returnCode: body[1] ?? 255,
      };
    case PACKET.PUBLISH: {
      const qos = (flags >> 1) & 3;
      const topicLength = body.readUInt16BE(0);
      const topic = body.toString('utf8', 2, 2 + topicLength);
      let at = 2 + topicLength;
      let packetId: number | undefined;
      if (qos > 0) {
        packetId = body.readUInt16BE(at);
        at += 2;
      }
      const payload = Buffer.from(body.subarray(at));
      return packetId === undefined
        ? { type: 'publish', topic, payload, qos }
        : { type: 'publish', topic, payload, qos, packetId };
    }
    case PACKET.PUBACK:
      return { type: 'puback', packetId: body.readUInt16BE(0) };
    case PACKET.SUBACK:
      return { type: 'suback', packetId: body.readUInt16BE(0), granted: [...body.subarray(2)] };
    case PACKET.PINGRESP:
      return { type: 'pingresp' };
    default:
      return { type: 'other', packetType: type };
  }
}

/** Splits a byte stream into packets; throws on a malformed or oversized frame. */
export function createPacketReader(onPacket: (packet: IncomingPacket) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      let length = 0;
      let multiplier = 1;
      let at = 1;
      let complete = false;
      while (at < pending.length && at <= 4) {
        const byte = pending[at] ?? 0;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        at += 1;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (at > 4) throw new Error('malformed MQTT remaining length');
        return;
      }
      if (length > MAX_INCOMING_PACKET) throw new Error(`MQTT packet of ${length} bytes is too large`);
      if (pending.length < at + length) return;
      const first = pending[0] ?? 0;
      const body = pending.subarray(at, at + length);
      pending = pending.subarray(at + length);
      onPacket(decode(first >> 4, first & 0x0f, body));
    }
  };
}
