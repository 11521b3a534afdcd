import { describe, expect, it } from 'vitest';
import { encodeRtosMessage } from '../flatbuffers/index.js';
import { EVERY_PAYLOAD_MESSAGE } from '../flatbuffers/__fixtures__/sample-messages.js';
import { parsePropertyBag } from '../mqtt/index.js';
import { isProtocolError } from '../errors/index.js';
import validMessages from '../json/__fixtures__/valid-messages.json' with { type: 'json' };
import { decodeSecurityMessage } from './decode-security-message.js';

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value));
const firstValid = (validMessages as { message: unknown }[])[0]!.message;

describe('decodeSecurityMessage', () => {
  it('reads JSON 1.0 when there is no mti, from every property shape', () => {
    for (const properties of [undefined, {}, new Map<string, string>(), parsePropertyBag('%24.ifid=x')]) {
      const result = decodeSecurityMessage(json(firstValid), properties);
      expect(result.ok).toBe(true);
      expect(result.ok && result.message.format).toBe('json-1.0');
    }
  });

  it('reads FlatBuffers when the mti says so, from a bag, a map or a plain record', () => {
    const body = encodeRtosMessage(EVERY_PAYLOAD_MESSAGE);
    const shapes = [
      parsePropertyBag('mti=2.3-1-0-0'),
      new Map([['mti', '2.3-1-0-0']]),
      { mti: '2.3-1-0-0', '$.ifid': 'urn:azureiot:Security:SecurityAgent:1' },
    ];
    for (const properties of shapes) {
      const result = decodeSecurityMessage(body, properties);
      expect(result.ok).toBe(true);
      expect(result.ok && result.message.format).toBe('flatbuffers-2.3');
      expect(result.ok && result.message.events.length).toBeGreaterThan(5);
    }
  });

  it('answers each failure with its stable code and never throws', () => {
    const code = (body: Uint8Array, properties?: Record<string, unknown>) => {
      const result = decodeSecurityMessage(body, properties);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(code(encoder.encode('{not json'))).toBe('MALFORMED_JSON');
    expect(code(new Uint8Array([0xff, 0xfe, 0x00]))).toBe('MALFORMED_JSON');
    expect(code(json({ AgentId: 'x' }))).toBe('INVALID_SECURITY_MESSAGE');
    expect(code(new Uint8Array(300 * 1024))).toBe('MESSAGE_TOO_LARGE');
    expect(code(json(firstValid), { mti: 'two-point-three' })).toBe('MALFORMED_MTI');
    expect(code(json(firstValid), { mti: 9 })).toBe('MALFORMED_MTI');
    expect(code(json(firstValid), { mti: '9.9-1-0-0' })).toBe('UNSUPPORTED_SCHEMA');
    expect(code(encoder.encode('garbage bytes'), { mti: '2.3-1-0-0' })).toBe('MALFORMED_FLATBUFFER');
  });

  it('lists every violation of an invalid JSON message with its path', () => {
    const result = decodeSecurityMessage(json({ AgentVersion: 1, MessageSchemaVersion: '2.0', Events: [] }));
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.error.violations.map((violation) => violation.path);
    expect(paths.length).toBeGreaterThanOrEqual(3);
  });

  it('survives 100,000 random and mutated bodies and properties with only typed refusals', () => {
    let seed = 0x5eed;
    const random = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 4_294_967_296;
    };
    const seeds = [json(firstValid), encodeRtosMessage(EVERY_PAYLOAD_MESSAGE)];
    const mtis = [undefined, '2.3-1-0-0', '1.0-0-1-0', '', '2.3-1', '2.3-9-0-0'];
    let decoded = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const source = seeds[i % 2]!;
      const body = Uint8Array.from(source);
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e += 1)
        body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? body.subarray(0, Math.floor(random() * body.length)) : body;
      const mti = mtis[Math.floor(random() * mtis.length)];
      let result;
      try {
        result = decodeSecurityMessage(cut, mti === undefined ? {} : { mti });
      } catch (thrown) {
        throw new Error(`decodeSecurityMessage threw on input ${i}: ${String(thrown)}`);
      }
      if (result.ok) decoded += 1;
      else expect(isProtocolError(result.error)).toBe(true);
    }
    // Mutations that land in free text keep the message valid: both outcomes must really occur.
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThan(100_000);
  });
});
