import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorObject } from 'ajv';
import { HOUR_MS, MINUTE_MS } from '../duration/index.js';
import { SCHEMA_DURATION_PATTERN } from '../duration/__fixtures__/schema-pattern.js';
import { loadOfficialTwinSchemas, TWIN_SCHEMA_DIR } from './__fixtures__/twin-schema-oracle.js';
import {
  DEFAULT_SECURITY_AGENT_CONFIGURATION as DEFAULTS,
  TWIN_CONFIGURATION_PROPERTIES,
  TWIN_CONFIGURATION_PROPERTY as OBJECT,
  createConfigurationErrorEvent,
  readSecurityAgentConfiguration,
  toReportedConfiguration,
  toTwinConfigurationDocument,
  type SecurityAgentConfiguration,
  type TwinValueKind,
} from './index.js';

const official = loadOfficialTwinSchemas();
if (official === null) {
  if (process.env.CI === 'true') throw new Error(`official twin schema missing at ${TWIN_SCHEMA_DIR}`);
  console.warn(`twin-config oracle tests skipped: official twin schema not found at ${TWIN_SCHEMA_DIR}`);
}

const SCHEMA_KEYS = TWIN_CONFIGURATION_PROPERTIES.filter((p) => p.inSchema).map((p) => p.key);

/** Schema keys the official schema rejects in `desired`; the object's name when the object itself is wrong. */
function keysTheSchemaRejects(errors: readonly ErrorObject[]): Set<string> {
  const keys = new Set<string>();
  for (const error of errors) {
    const [, top, object, key] = error.instancePath.split('/');
    if (top === undefined || top === '' || object === undefined) keys.add(OBJECT);
    else keys.add(key ?? OBJECT);
  }
  return keys;
}

/** Schema keys (or the object name) that Vigil reports a TypeMismatch for. */
function keysVigilRejects(desired: unknown): Set<string> {
  const { errors } = readSecurityAgentConfiguration(desired);
  const schemaNames = new Set<string>([...SCHEMA_KEYS, OBJECT]);
  return new Set(
    errors
      .filter((e) => e.errorType === 'TypeMismatch' && schemaNames.has(e.configurationName))
      .map((e) => e.configurationName),
  );
}

/** Values, valid and not, for a key of each kind: each becomes the key's entry in one document. */
const CANDIDATES: Readonly<Record<TwinValueKind, readonly unknown[]>> = {
  duration: [
    'PT1M',
    'P1DT2H',
    'PT1.5S',
    'P1W',
    'P200Y',
    'PT0S',
    'PT',
    'P',
    '-PT1M',
    'PT1m',
    '1:00',
    60,
    true,
  ],
  integer: [8192, 204_800, 100_000, 1e300, -5, 0, 8192.5, '8192', true, null],
  priority: ['High', 'Low', 'Off', 'high', 'OFF', 'Operational', 'Medium', '', 2, false],
  boolean: [true, false, 'true', 0, 1, null],
  string: [],
  'nullable-string': [],
};
/** Entries that are wrongly shaped, or shaped right with a value no kind accepts (or none at all). */
const SHAPES: readonly unknown[] = [
  {},
  { other: 1 },
  'bare',
  7,
  true,
  [],
  null,
  { value: null },
  { value: [] },
  { value: {} },
];

/** `properties.desired` of the vendor's `azureiotsecurity_default.json`. */
function defaultDesired(): unknown {
  const properties = official?.defaultTwin['properties'] as Record<string, unknown> | undefined;
  return properties?.['desired'];
}

function corpus(): { readonly name: string; readonly desired: unknown }[] {
  const documents: { name: string; desired: unknown }[] = [];
  for (const spec of TWIN_CONFIGURATION_PROPERTIES.filter((p) => p.inSchema)) {
    const entries = [...CANDIDATES[spec.kind].map((value) => ({ value })), ...SHAPES];
    for (const entry of entries) {
      documents.push({
        name: `${spec.key} = ${JSON.stringify(entry)}`,
        desired: { [OBJECT]: { [spec.key]: entry } },
      });
    }
  }
  documents.push(
    { name: 'no object', desired: { $version: 3 } },
    { name: 'object is a string', desired: { [OBJECT]: 'PT1H' } },
    { name: 'object is null', desired: { [OBJECT]: null } },
    { name: 'object is an array', desired: { [OBJECT]: [] } },
    { name: 'desired is null', desired: null },
    { name: 'desired is an array', desired: [] },
    { name: 'the default twin', desired: defaultDesired() },
    {
      name: 'several bad keys at once',
      desired: {
        [OBJECT]: {
          snapshotFrequency: 'PT1H',
          eventPriorityLogin: { value: 'high' },
          maxMessageSizeInBytes: { value: 1.5 },
          aggregationEnabledProcessCreate: { value: 'yes' },
          lowPriorityMessageFrequency: { value: 'PT6H' },
        },
      },
    },
  );
  return documents;
}

/** Configurations written by hand that must all produce schema-valid twins. */
const CONFIGURATIONS: readonly SecurityAgentConfiguration[] = [
  DEFAULTS,
  { ...DEFAULTS, highPriorityMessageFrequency: 90_000, lowPriorityMessageFrequency: 36 * HOUR_MS + 1 },
  { ...DEFAULTS, snapshotFrequency: 1_000, maxMessageSizeInBytes: 8_192, maxLocalCacheSizeInBytes: 8_192 },
  {
    ...DEFAULTS,
    eventPriorityLogin: 'Off',
    eventPriorityProcessCreate: 'High',
    aggregationEnabledConnectionCreate: false,
  },
  { ...DEFAULTS, aggregationIntervalProcessTerminate: 7 * 24 * HOUR_MS + 5 * MINUTE_MS + 250 },
  {
    ...DEFAULTS,
    baselineCustomChecksEnabled: true,
    baselineCustomChecksFilePath: '/x.xml',
    baselineCustomChecksFileHash: 'ab',
  },
];

describe.skipIf(official === null)('the twin reader agrees with the official schema (Ajv oracle)', () => {
  // Read lazily: the describe body runs at collection time even when the suite is skipped.
  const oracle = () => official!;

  it('knows exactly the schema’s keys, with its value types and defaults', () => {
    const desiredSchema = (
      oracle().schema['properties'] as { desired: { properties: Record<string, { properties: object }> } }
    ).desired;
    const schemaProperties = desiredSchema.properties[OBJECT]?.properties as Record<
      string,
      { $ref: string; default: unknown }
    >;
    expect(Object.keys(schemaProperties)).toEqual(SCHEMA_KEYS);
    const kindOf: Record<string, TwinValueKind> = {
      TimeConfiguration: 'duration',
      IntegerConfiguration: 'integer',
      EventPriorityConfiguration: 'priority',
      BooleanConfiguration: 'boolean',
    };
    const document = toTwinConfigurationDocument(DEFAULTS);
    for (const spec of TWIN_CONFIGURATION_PROPERTIES.filter((p) => p.inSchema)) {
      const property = schemaProperties[spec.key];
      expect(kindOf[property?.$ref.split('/').pop() ?? ''], spec.key).toBe(spec.kind);
      expect(document[spec.key].value, spec.key).toEqual(property?.default);
    }
  });

  it('uses the schema’s own duration pattern', () => {
    const { definitions } = oracle();
    const time = (
      definitions['definitions'] as Record<string, { properties: { value: { pattern: string } } }>
    )['TimeConfiguration'];
    expect(time?.properties.value.pattern).toBe(SCHEMA_DURATION_PATTERN);
  });

  it('reads azureiotsecurity_default.json as exactly the defaults', () => {
    expect(defaultDesired()).toBeDefined();
    expect(readSecurityAgentConfiguration(defaultDesired())).toEqual({
      configuration: DEFAULTS,
      errors: [],
      rejected: false,
    });
  });

  it.each(CONFIGURATIONS.map((c, i) => [i, c] as const))(
    'reports configuration #%d in a shape the schema accepts',
    (_i, configuration) => {
      const { validate } = oracle();
      const twin = { desired: toReportedConfiguration(configuration) };
      expect(validate(twin), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('reports a TypeMismatch exactly where the schema rejects a value, over the corpus', () => {
    const { validate } = oracle();
    const documents = corpus();
    expect(documents.length).toBeGreaterThanOrEqual(200);
    let rejectedBySchema = 0;
    for (const { name, desired } of documents) {
      const valid = validate({ desired });
      const expected = valid ? new Set<string>() : keysTheSchemaRejects(validate.errors ?? []);
      if (!valid) rejectedBySchema += 1;
      expect([...keysVigilRejects(desired)].sort(), name).toEqual([...expected].sort());
    }
    // The corpus must exercise both sides.
    expect(rejectedBySchema).toBeGreaterThan(documents.length / 3);
    expect(rejectedBySchema).toBeLessThan(documents.length);
  });

  it('agrees on random documents mixing good and bad values for several keys', () => {
    const { validate } = oracle();
    const entry = fc.oneof(
      fc.constantFrom(...SHAPES),
      fc.constantFrom(...Object.values(CANDIDATES).flat()).map((value) => ({ value })),
    );
    const document = fc.dictionary(fc.constantFrom(...SCHEMA_KEYS, 'hubResourceId', 'unknownKey'), entry, {
      maxKeys: 6,
    });
    fc.assert(
      fc.property(document, (object) => {
        const desired = { [OBJECT]: object };
        const valid = validate({ desired });
        const expected = valid ? [] : [...keysTheSchemaRejects(validate.errors ?? [])].sort();
        expect([...keysVigilRejects(desired)].sort()).toEqual(expected);
      }),
      { seed: 42, numRuns: 2_000 },
    );
  });

  it('builds ConfigurationError events the official message schema accepts, for every kind of finding', () => {
    const { validateMessage } = oracle();
    const findings = [
      readSecurityAgentConfiguration({
        [OBJECT]: { snapshotFrequency: { value: 'PT' }, eventPriorityLogin: 'High' },
      }),
      readSecurityAgentConfiguration({ [OBJECT]: 'not an object' }),
      readSecurityAgentConfiguration({
        [OBJECT]: {
          maxMessageSizeInBytes: { value: 300_001 },
          highPriorityMessageFrequency: { value: 'P1D' },
        },
      }),
    ];
    for (const [i, { errors }] of findings.entries()) {
      expect(errors.length).toBeGreaterThan(0);
      const event = createConfigurationErrorEvent(errors, {
        id: `00000000-0000-4000-8000-00000000000${i}`,
        timeMs: Date.UTC(2026, 0, 2, 3, 4, 5),
        utcOffsetMinutes: -330,
      });
      const message = {
        AgentVersion: '0.1.0',
        AgentId: '0c1f8d0a-2b7e-4f55-9a83-0e4d7c6b5a41',
        MessageSchemaVersion: '1.0',
        Events: [event],
      };
      expect(validateMessage(message), JSON.stringify(validateMessage.errors)).toBe(true);
    }
    // The oracle bites: an ErrorType outside the schema's enum is refused.
    const event = createConfigurationErrorEvent(findings[0]?.errors ?? [], { id: '0'.repeat(36), timeMs: 0 });
    const broken = { ...event, Payload: event?.Payload.map((p) => ({ ...p, ErrorType: 'Unknown' })) };
    const message = {
      AgentVersion: '0',
      AgentId: '0'.repeat(36),
      MessageSchemaVersion: '1.0',
      Events: [broken],
    };
    expect(validateMessage(message)).toBe(false);
  });
});
