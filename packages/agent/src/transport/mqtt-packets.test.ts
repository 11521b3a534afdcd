import { describe, expect, it } from 'vitest';
import {
  createPacketReader,
  encodeConnect,
  encodePublish,
  encodeSubscribe,
  type IncomingPacket,
} from './mqtt-packets.js';

describe('MQTT 3.1.1 packets', () => {
  it('writes CONNECT as MQTT level 4 with clean=0, keep-alive, client id, username and password', () => {
    const bytes = encodeConnect({
      clientId: 'd/m',
      username: 'u',
      password: 'p',
      clean: false,
      keepaliveSeconds: 240,
    });
    expect([...bytes]).toEqual([
      0x10, 21, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0xc0, 0, 240, 0, 3, 0x64, 0x2f, 0x6d, 0, 1, 0x75, 0, 1, 0x70,
    ]);
  });

  it('writes SUBSCRIBE with the reserved flags and a QoS 1 PUBLISH with its packet id', () => {
    expect([...encodeSubscribe(7, 'a/#', 0)]).toEqual([0x82, 8, 0, 7, 0, 3, 0x61, 0x2f, 0x23, 0]);
    expect([...encodePublish('t', Buffer.from('x'), 1, 258)]).toEqual([0x32, 6, 0, 1, 0x74, 1, 2, 0x78]);
  });

  it('reads packets split across chunks, with multi-byte remaining lengths', () => {
    const seen: IncomingPacket[] = [];
    const read = createPacketReader((p) => seen.push(p));
    const big = Buffer.alloc(300, 0x61);
    const stream = Buffer.concat([
      Buffer.from([0x20, 2, 0, 0]), // CONNACK accepted
      Buffer.from([0x32, 0xb1, 0x02, 0, 1, 0x74, 0, 9]), // PUBLISH QoS 1, remaining length 305
      big,
      Buffer.from([0x40, 2, 1, 2, 0xd0, 0]), // PUBACK 258, PINGRESP
    ]);
    for (let i = 0; i < stream.length; i += 7) read(stream.subarray(i, i + 7));
    expect(seen.map((p) => p.type)).toEqual(['connack', 'publish', 'puback', 'pingresp']);
    expect(seen[1]).toMatchObject({ topic: 't', qos: 1, packetId: 9 });
    expect(seen[1]?.type === 'publish' && seen[1].payload.equals(big)).toBe(true);
    expect(seen[2]).toEqual({ type: 'puback', packetId: 258 });
  });

  it('refuses a malformed length and an oversized packet instead of buffering forever', () => {
    const read = createPacketReader(() => undefined);
    expect(() => read(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/remaining length/);
    expect(() => createPacketReader(() => undefined)(Buffer.from([0x30, 0x80, 0x80, 0x40]))).toThrow(
      /too large/,
    );
  });
});
