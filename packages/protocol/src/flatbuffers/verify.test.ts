import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { ProtocolError, type ProtocolErrorCode } from '../errors/index.js';
import { AT, HAND_ASSEMBLED } from './__fixtures__/hand-assembled.js';
import { EVERY_PAYLOAD_MESSAGE, rtosCycleMessage, rtosFlow } from './__fixtures__/sample-messages.js';
import { decodeRtosMessage, encodeRtosMessage } from './index.js';
import type { TableSpec } from './schema-spec.js';
import { MAX_TABLE_DEPTH, verifyFlatbuffer } from './verify.js';

function rejection(bytes: Uint8Array): {
  code: ProtocolErrorCode;
  path: string | undefined;
  message: string;
} {
  try {
    decodeRtosMessage(bytes);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { code: error.code, path: error.violations[0]?.path, message: error.message };
  }
  throw new Error('decoded without complaint');
}

function patched(edits: Record<number, number>, from = HAND_ASSEMBLED): Uint8Array {
  const bytes = from.slice();
  for (const [at, value] of Object.entries(edits)) bytes[Number(at)] = value;
  return bytes;
}

function patched32(at: number, value: number): Uint8Array {
  const bytes = HAND_ASSEMBLED.slice();
  new DataView(bytes.buffer).setUint32(at, value, true);
  return bytes;
}

describe('the FlatBuffers verifier', () => {
  it('rejects every truncation of a valid message', () => {
    const full = encodeRtosMessage(EVERY_PAYLOAD_MESSAGE);
    for (let length = 0; length < full.length; length += 1) {
      expect(rejection(full.subarray(0, length)).code).toBe('MALFORMED_FLATBUFFER');
    }
  });

  it('names the field whose offset points past the end', () => {
    expect(rejection(patched32(AT.eventsOffset, 0x1000))).toMatchObject({
      code: 'MALFORMED_FLATBUFFER',
      path: '$.events',
      message: expect.stringContaining('past the end'),
    });
  });

  it('rejects a zero or misaligned root offset', () => {
    expect(rejection(patched32(0, 0)).path).toBe('$');
    expect(rejection(patched32(0, 0x11)).message).toContain('aligned');
  });

  it('rejects an unknown union type and a NONE union with a value', () => {
    expect(rejection(patched({ [AT.payloadType]: 8 }))).toMatchObject({
      path: '$.events[0].payload_type',
      message: expect.stringContaining('unknown union type 8'),
    });
    expect(rejection(patched({ [AT.payloadType]: 0 })).path).toBe('$.events[0].payload_type');
  });

  it('rejects a vector whose length runs past the buffer', () => {
    for (const length of [17, 0x7fff_ffff, 0xffff_ffff]) {
      expect(rejection(patched32(AT.ipv4VectorLength, length))).toMatchObject({
        path: '$.events[0].payload.ipv4_activity',
        message: expect.stringContaining('overflows'),
      });
    }
    // two elements fit, but the second "offset" is the next vtable's bytes
    expect(rejection(patched32(AT.ipv4VectorLength, 2)).path).toBe('$.events[0].payload.ipv4_activity[1]');
  });

  it('rejects a table whose vtable lies outside the buffer', () => {
    expect(rejection(patched32(AT.commonSoffset, 0x7000_0000)).path).toBe(
      '$.events[0].payload.ipv4_activity[0].common',
    );
  });

  it('rejects a field that lies outside its table', () => {
    expect(rejection(patched({ [AT.commonVtableTableSize]: 8 }))).toMatchObject({
      path: '$.events[0].payload.ipv4_activity[0].common.local_port',
      message: expect.stringContaining('outside its 8-byte table'),
    });
  });

  it('rejects an enum value out of range', () => {
    expect(rejection(patched({ [AT.protocol]: 3 }))).toMatchObject({
      path: '$.events[0].payload.ipv4_activity[0].common.protocol',
      message: expect.stringContaining('out of range'),
    });
    expect(rejection(patched({ [AT.protocol]: 0xff })).code).toBe('MALFORMED_FLATBUFFER');
  });

  it('rejects a missing required field', () => {
    expect(rejection(patched({ [AT.messageVtableId0]: 0 }))).toMatchObject({
      path: '$.security_module_id',
      message: expect.stringContaining('required field is missing'),
    });
  });

  it('rejects strings that overflow, lack their NUL or are not UTF-8', () => {
    expect(rejection(patched32(AT.idStringLength, 500)).message).toContain('overflows');
    expect(rejection(patched({ [AT.idStringNul]: 0x21 })).message).toContain('NUL');
    expect(rejection(patched({ [AT.idStringFirstByte]: 0xff })).message).toContain('UTF-8');
    // a valid multi-byte character passes
    expect(
      decodeRtosMessage(patched({ [AT.idStringFirstByte]: 0xc3, [AT.idStringFirstByte + 1]: 0xa9 }))
        .securityModuleId,
    ).toBe('év');
  });

  it('rejects shared offsets that would expand a small body into millions of flows', () => {
    // 1,000 events all pointing at one payload of 200 flows: 2 MB of flows from a body of ~50 KB.
    const b = new Builder(1024);
    const flows = Array.from({ length: 200 }, (_, n) => {
      const flow = rtosFlow(n);
      b.startObject(5);
      b.addFieldInt32(2, flow.common.bytesIn, 0);
      const common = b.endObject();
      b.startObject(2);
      b.addFieldOffset(1, common, 0);
      b.prep(4, 8);
      b.writeInt32(0x0102_0304);
      b.writeInt32(0x0102_0305);
      b.addFieldStruct(0, b.offset(), 0);
      return b.endObject();
    });
    b.startVector(4, flows.length, 4);
    for (const flow of flows.reverse()) b.addOffset(flow);
    const vector = b.endVector();
    b.startObject(1);
    b.addFieldOffset(0, vector, 0);
    const payload = b.endObject();
    const events = Array.from({ length: 1000 }, () => {
      b.startObject(5);
      b.addFieldOffset(4, payload, 0);
      b.prep(1, 16);
      for (let i = 0; i < 16; i += 1) b.writeInt8(i);
      b.addFieldStruct(0, b.offset(), 0);
      b.addFieldInt8(3, 1, 0);
      return b.endObject();
    });
    b.startVector(4, events.length, 4);
    for (const event of events.reverse()) b.addOffset(event);
    const eventVector = b.endVector();
    const id = b.createString('x');
    b.startObject(4);
    b.addFieldOffset(0, id, 0);
    b.addFieldOffset(3, eventVector, 0);
    b.finish(b.endObject());
    const bytes = b.asUint8Array();
    expect(bytes.length).toBeLessThan(70_000);
    expect(rejection(bytes).message).toContain('expand without bound');
  });

  it('bounds nesting depth (checked with a self-referencing test schema)', () => {
    const node: { name: string; fields: TableSpec['fields'][number][] } = { name: 'Node', fields: [] };
    node.fields.push({ id: 0, name: 'next', kind: 'table', table: node });
    const chain = (depth: number): Uint8Array => {
      const b = new Builder(256);
      let next = 0;
      for (let i = 0; i < depth; i += 1) {
        b.startObject(1);
        b.addFieldOffset(0, next, 0);
        next = b.endObject();
      }
      b.finish(next);
      return b.asUint8Array();
    };
    expect(() => verifyFlatbuffer(chain(MAX_TABLE_DEPTH), node)).not.toThrow();
    expect(() => verifyFlatbuffer(chain(MAX_TABLE_DEPTH + 1), node)).toThrow(/nested deeper than 32/);
  });

  it('accepts a legitimate body near the size limit (the sharing budget is not hit without sharing)', () => {
    const big = rtosCycleMessage(6_000);
    const bytes = encodeRtosMessage(big);
    expect(bytes.length).toBeGreaterThan(200_000);
    expect(decodeRtosMessage(bytes)).toStrictEqual(big);
  });

  it('rejects bodies over the size limit before looking at them', () => {
    expect(rejection(new Uint8Array(262_145)).code).toBe('MESSAGE_TOO_LARGE');
    expect(() => decodeRtosMessage(HAND_ASSEMBLED, { maxBytes: 100 })).toThrow(
      expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }),
    );
  });
});
