import { describe, expect, it } from 'vitest';
import { formatMti, parseMti, RTOS_MTI } from './index.js';

describe('parseMti / formatMti', () => {
  it('reads the RTOS value as schema 2.3, FlatBuffers, Azure RTOS, raw events', () => {
    expect(parseMti(RTOS_MTI)).toStrictEqual({
      schemaVersion: '2.3',
      major: 2,
      minor: 3,
      encoding: 'flatbuffers',
      source: 'azure-rtos',
      messageType: 'raw-events',
    });
  });

  it('accepts the older 2.0 RTOS schema and the JSON and Linux digits', () => {
    expect(parseMti('2.0-1-0-0').schemaVersion).toBe('2.0');
    expect(parseMti('2.3-0-1-0')).toMatchObject({ encoding: 'json', source: 'linux' });
  });

  it.each(['2.0-1-0-0', '2.3-1-0-0', '2.3-0-1-0'])('formats what it parses: %s', (value) => {
    expect(formatMti(parseMti(value))).toBe(value);
  });

  it.each([
    '',
    '2.3',
    '2.3-1-0',
    '2.3-1-0-0-0',
    '2,3-1-0-0',
    ' 2.3-1-0-0',
    '2.3-1-0-0\n',
    '02.3-1-0-0',
    '2.3-a-0-0',
    '2.3--1-0-0',
    'x'.repeat(1000),
  ])('rejects %j as MALFORMED_MTI', (value) => {
    expect(() => parseMti(value)).toThrow(expect.objectContaining({ code: 'MALFORMED_MTI' }));
  });

  it.each([
    ['1.0-1-0-0', 'schema 1.0'],
    ['2.4-1-0-0', 'schema 2.4'],
    ['3.0-1-0-0', 'schema 3.0'],
    ['2.3-2-0-0', 'encoding 2'],
    ['2.3-1-7-0', 'source 7'],
    ['2.3-1-0-1', 'message type 1'],
  ])('rejects %s as UNSUPPORTED_SCHEMA (%s)', (value, what) => {
    expect(() => parseMti(value)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SCHEMA', message: expect.stringContaining(what) }),
    );
  });

  it('refuses to format parts no device could send', () => {
    const parts = parseMti(RTOS_MTI);
    expect(() => formatMti({ ...parts, minor: 3.5 })).toThrow(
      expect.objectContaining({ code: 'MALFORMED_MTI' }),
    );
    // @ts-expect-error: an encoding outside the published digits
    expect(() => formatMti({ ...parts, encoding: 'cbor' })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SCHEMA' }),
    );
  });
});
