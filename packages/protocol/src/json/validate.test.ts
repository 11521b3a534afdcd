import { describe, expect, it } from 'vitest';
import { loadOfficialValidator } from './__fixtures__/ajv-oracle.js';
import { validCases } from './__fixtures__/corpus.js';
import { JSON_MESSAGE_LIMITS, validateSecurityMessage } from './index.js';

const official = loadOfficialValidator();

type Json = Record<string, unknown>;
/** A deep copy of the first corpus message (one outbound ConnectionCreate) to edit. */
function connection(): Json {
  return structuredClone(validCases[0]!.message) as Json;
}
function firstEvent(message: Json): Json {
  return (message.Events as Json[])[0]!;
}
function firstItem(message: Json): Json {
  return (firstEvent(message).Payload as Json[])[0]!;
}

describe('leniencies for what real agents send (reference §2.1, §2.3)', () => {
  const cases: { name: string; edit: (m: Json) => void; path: string; code: string }[] = [
    {
      name: 'Category "Aggregated" on an aggregatable event',
      edit: (m) => (firstEvent(m).Category = 'Aggregated'),
      path: '/Events/0/Category',
      code: 'CATEGORY_AGGREGATED',
    },
    {
      name: 'TimestampUTC without zone (C# "s" format)',
      edit: (m) => (firstEvent(m).TimestampUTC = '2019-01-27T15:48:52'),
      path: '/Events/0/TimestampUTC',
      code: 'TIMESTAMP_NO_ZONE',
    },
    {
      name: 'TimestampLocal without zone and with a space',
      edit: (m) => (firstEvent(m).TimestampLocal = '2019-01-27 16:48:52.123'),
      path: '/Events/0/TimestampLocal',
      code: 'TIMESTAMP_NO_ZONE',
    },
    {
      name: 'HitCount as a JSON number in ExtraDetails (C agent)',
      edit: (m) => (firstItem(m).ExtraDetails = { HitCount: 3, StartTimeUtc: '2019-01-27T15:00:00Z' }),
      path: '/Events/0/Payload/0/ExtraDetails/HitCount',
      code: 'EXTRA_DETAILS_NOT_STRING',
    },
  ];

  it.each(cases)('$name: valid with a warning; an error under strict', ({ edit, path, code }) => {
    const message = connection();
    firstItem(message).Protocol = 'TCP'; // the C agent's `tcp` would add a note of its own
    edit(message);
    const lenient = validateSecurityMessage(message);
    expect(lenient.valid).toBe(true);
    expect(lenient.errors).toEqual([]);
    expect(lenient.warnings).toEqual([{ path, code, message: expect.any(String) }]);
    const strict = validateSecurityMessage(message, { strict: true });
    expect(strict.valid).toBe(false);
    expect(strict.errors).toEqual([{ path, message: expect.any(String) }]);
    expect(strict.warnings).toEqual([]);
    if (official) expect(official(message)).toBe(false);
  });

  it('accepts "Aggregated" only where agents aggregate, and only as a Triggered event', () => {
    const ports = structuredClone(
      validCases.find((c) => c.name.startsWith('ListeningPorts'))!.message,
    ) as Json;
    firstEvent(ports).Category = 'Aggregated';
    expect(validateSecurityMessage(ports).errors).toEqual([
      { path: '/Events/0/Category', message: expect.stringContaining('only sent for') },
    ]);
    const empty = connection();
    Object.assign(firstEvent(empty), { Category: 'Aggregated', IsEmpty: true });
    expect(validateSecurityMessage(empty).errors.map((e) => e.path)).toEqual(['/Events/0/IsEmpty']);
  });

  it('notes lower-case and versioned protocol names once per spelling; under strict they pass unremarked (the schema types Protocol as any string)', () => {
    const message = connection();
    firstItem(message).Protocol = 'tcp6';
    const payload = firstEvent(message).Payload as Json[];
    payload.push({ ...firstItem(message), Protocol: 'tcp6' }, { ...firstItem(message), Protocol: 'udp' });
    const expected = [
      {
        path: '/Events/0/Payload/0/Protocol',
        code: 'PROTOCOL_NAME_NORMALISED',
        message: 'protocol "tcp6" read as TCP over IPv6',
      },
      {
        path: '/Events/0/Payload/2/Protocol',
        code: 'PROTOCOL_NAME_NORMALISED',
        message: 'protocol "udp" read as UDP',
      },
    ];
    expect(validateSecurityMessage(message)).toEqual({ valid: true, errors: [], warnings: expected });
    expect(validateSecurityMessage(message, { strict: true })).toEqual({
      valid: true,
      errors: [],
      warnings: [],
    });
    if (official) expect(official(message)).toBe(true);
  });

  it('notes nothing for canonical protocol names', () => {
    const message = connection();
    firstItem(message).Protocol = 'UDP';
    expect(validateSecurityMessage(message).warnings).toEqual([]);
  });

  it('still rejects what no agent sends: null in ExtraDetails, a timestamp with no time', () => {
    const message = connection();
    firstItem(message).ExtraDetails = { Pid: null };
    firstEvent(message).TimestampUTC = '2019-01-27';
    expect(validateSecurityMessage(message).errors.map((e) => e.path)).toEqual([
      '/Events/0/TimestampUTC',
      '/Events/0/Payload/0/ExtraDetails/Pid',
    ]);
  });
});

describe('limits: hostile input is rejected in bounded time', () => {
  it('caps the number of events and of payload items', () => {
    const message = connection();
    const event = firstEvent(message);
    message.Events = Array.from({ length: JSON_MESSAGE_LIMITS.maxEvents + 1 }, () => event);
    expect(validateSecurityMessage(message).errors).toEqual([
      { path: '/Events', message: expect.stringContaining('at most 10000') },
    ]);
    const item = firstItem(message);
    message.Events = [
      { ...event, Payload: Array.from({ length: JSON_MESSAGE_LIMITS.maxPayloadItems + 1 }, () => item) },
    ];
    expect(validateSecurityMessage(message).errors.map((e) => e.path)).toEqual(['/Events/0/Payload']);
  });

  it('lists at most maxErrors errors and says the rest were cut', () => {
    const message = connection();
    firstEvent(message).Payload = Array.from({ length: 2_000 }, () => ({ RemotePort: 1 }));
    const { errors } = validateSecurityMessage(message);
    expect(errors).toHaveLength(JSON_MESSAGE_LIMITS.maxErrors + 1);
    expect(errors.at(-1)!.message).toContain('not listed');
  });

  it('does not descend into deeply nested values it rejects', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    const message = connection();
    firstItem(message).ExtraDetails = { nested: deep };
    firstItem(message).Unknown = deep;
    message.Extra = deep;
    expect(validateSecurityMessage(message).errors.map((e) => e.path)).toEqual([
      '/Extra',
      '/Events/0/Payload/0/ExtraDetails/nested',
      '/Events/0/Payload/0/Unknown',
    ]);
  });
});
