/**
 * The few MQTT 3.1.1 frames the load generator and the acknowledge-only sink exchange. Packets are
 * encoded once with mqtt-packet (the encoder mqtt.js uses); reading is a hand-rolled splitter that
 * only looks at the fixed header and the packet id, so neither side spends time on a full parser.
 */
import { generate } from 'mqtt-packet';

/** MQTT control packet types (high nibble of the first byte). */
export const PACKET_TYPE = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
} as const;

/** A CONNECT for one device: IoT Hub's username and SAS token as password, clean session, MQTT 3.1.1. */
export function encodeConnect(clientId: string, username: string, password: string): Buffer {
  return generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    keepalive: 0,
    clientId,
    username,
    password: Buffer.from(password),
  });
}

/** A QoS 1 PUBLISH with its own packet id; `payloadOffset` is where the payload starts inside it. */
export function encodePublish(
  topic: string,
  payload: Buffer,
  messageId: number,
): { readonly packet: Buffer; readonly payloadOffset: number } {
  const packet = generate({
    cmd: 'publish',
    topic,
    payload,
    qos: 1,
    dup: false,
    retain: false,
    messageId,
  });
  return { packet, payloadOffset: packet.length - payload.length };
}

/** CONNACK (session present 0) with a return code. */
export function encodeConnack(returnCode: number): Buffer {
  return Buffer.from([0x20, 0x02, 0x00, returnCode]);
}

/** PUBACK for a packet id. */
export function encodePuback(messageId: number): Buffer {
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff]);
}

/** One frame as the splitter sees it: its type and the bytes after the fixed header. */
export type FrameHandler = (type: number, body: Buffer) => void;

/**
 * Splits a byte stream into MQTT frames. Chunks that hold whole frames are not copied; only a frame
 * cut across chunks is reassembled.
 */
export function createFrameSplitter(onFrame: FrameHandler): (chunk: Buffer) => void {
  let pending: Buffer | null = null;
  return (chunk) => {
    const data = pending === null ? chunk : Buffer.concat([pending, chunk]);
    pending = null;
    let at = 0;
    while (at < data.length) {
      // Remaining length: up to four 7-bit groups (MQTT 3.1.1 §2.2.3).
      let length = 0;
      let multiplier = 1;
      let cursor = at + 1;
      let complete = false;
      while (cursor < data.length && cursor - at <= 4) {
        const byte = data[cursor++] ?? 0;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || cursor + length > data.length) break;
      onFrame((data[at] ?? 0) >> 4, data.subarray(cursor, cursor + length));
      at = cursor + length;
    }
    if (at < data.length) pending = Buffer.from(data.subarray(at));
  };
}
