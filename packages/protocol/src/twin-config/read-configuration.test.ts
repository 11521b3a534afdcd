import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../duration/index.js';
import {
  DEFAULT_SECURITY_AGENT_CONFIGURATION as DEFAULTS,
  TWIN_CONFIGURATION_PROPERTY as OBJECT,
  readSecurityAgentConfiguration,
  type SecurityAgentConfiguration,
} from './index.js';

/** A desired-properties document holding `values`, each wrapped as `{ value }`. */
const desired = (values: Record<string, unknown>) => ({
  $version: 4,
  [OBJECT]: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])),
});

describe('readSecurityAgentConfiguration: defaults and wrapping (§2.5)', () => {
  it('gives the published defaults when the object is missing', () => {
    const result = readSecurityAgentConfiguration({ $version: 1 });
    expect(result).toEqual({ configuration: DEFAULTS, errors: [], rejected: false });
    expect(DEFAULTS).toMatchObject({
      highPriorityMessageFrequency: 7 * MINUTE_MS,
      lowPriorityMessageFrequency: 5 * HOUR_MS,
      snapshotFrequency: 13 * HOUR_MS,
      maxLocalCacheSizeInBytes: 2_560_000,
      maxMessageSizeInBytes: 204_800,
      eventPriorityListeningPorts: 'High',
      eventPriorityLocalUsers: 'High',
      eventPriorityLogin: 'High',
      eventPriorityDiagnostic: 'Low',
      eventPriorityProcessCreate: 'Low',
      aggregationEnabledConnectionCreate: true,
      aggregationIntervalProcessTerminate: HOUR_MS,
      baselineCustomChecksEnabled: false,
      baselineCustomChecksFilePath: null,
      hubResourceId: '',
    });
  });

  it('reads wrapped values and fills absent keys with defaults, not with the previous configuration', () => {
    const previous: SecurityAgentConfiguration = { ...DEFAULTS, snapshotFrequency: 2 * HOUR_MS };
    const result = readSecurityAgentConfiguration(
      desired({
        highPriorityMessageFrequency: 'PT1M',
        maxMessageSizeInBytes: 65_536,
        eventPriorityProcessCreate: 'Off',
        aggregationEnabledProcessCreate: false,
        aggregationIntervalConnectionCreate: 'PT30M',
        hubResourceId: '/subscriptions/x/resourceGroups/y',
        baselineCustomChecksFilePath: '/etc/checks.xml',
      }),
      previous,
    );
    expect(result.errors).toEqual([]);
    expect(result.configuration).toEqual({
      ...DEFAULTS,
      highPriorityMessageFrequency: MINUTE_MS,
      maxMessageSizeInBytes: 65_536,
      eventPriorityProcessCreate: 'Off',
      aggregationEnabledProcessCreate: false,
      aggregationIntervalConnectionCreate: 30 * MINUTE_MS,
      hubResourceId: '/subscriptions/x/resourceGroups/y',
      baselineCustomChecksFilePath: '/etc/checks.xml',
    });
    expect(Object.isFrozen(result.configuration)).toBe(true);
  });

  it('treats {} (a key without a value) as absent, and ignores unknown keys and extra members', () => {
    const result = readSecurityAgentConfiguration({
      [OBJECT]: {
        snapshotFrequency: {},
        lowPriorityMessageFrequency: { value: 'PT6H', comment: 'ignored' },
        eventPriorityOperational: { value: 'Operational' },
        someFutureKey: 42,
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.configuration).toEqual({ ...DEFAULTS, lowPriorityMessageFrequency: 6 * HOUR_MS });
  });

  it('reads the object under a locally overridden name (§2.5 RemoteConfigurationObjectName)', () => {
    const doc = { custom: { snapshotFrequency: { value: 'PT1H' } } };
    expect(
      readSecurityAgentConfiguration(doc, DEFAULTS, { objectName: 'custom' }).configuration.snapshotFrequency,
    ).toBe(HOUR_MS);
    expect(readSecurityAgentConfiguration(doc).configuration).toEqual(DEFAULTS);
  });
});

describe('readSecurityAgentConfiguration: TypeMismatch rejects the whole document (§2.5)', () => {
  const previous: SecurityAgentConfiguration = { ...DEFAULTS, highPriorityMessageFrequency: 2 * MINUTE_MS };

  it.each([
    [
      'a bare value',
      { highPriorityMessageFrequency: 'PT1M' },
      'must be wrapped as {"value": …}, got the string "PT1M"',
    ],
    ['a malformed duration', { highPriorityMessageFrequency: { value: 'PT' } }, '"T" must be followed'],
    [
      'a number for a duration',
      { highPriorityMessageFrequency: { value: 60 } },
      'an ISO-8601 duration string',
    ],
    ['a null key', { highPriorityMessageFrequency: null }, 'got null'],
    ['a null value', { highPriorityMessageFrequency: { value: null } }, 'got null'],
    ['an array', { highPriorityMessageFrequency: [{ value: 'PT1M' }] }, 'got an array'],
  ])('%s', (_label, document, words) => {
    const result = readSecurityAgentConfiguration(
      { [OBJECT]: { ...document, snapshotFrequency: { value: 'PT1H' } } },
      previous,
    );
    expect(result.rejected).toBe(true);
    expect(result.configuration).toBe(previous);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error).toMatchObject({
      configurationName: 'highPriorityMessageFrequency',
      errorType: 'TypeMismatch',
      usedConfiguration: 'PT2M',
    });
    expect(error?.message).toContain(words);
    expect(error?.message).toContain('the update was rejected');
  });

  it('lists every mismatched key, each with the value kept for it', () => {
    const result = readSecurityAgentConfiguration(
      desired({
        maxMessageSizeInBytes: 8192.5,
        maxLocalCacheSizeInBytes: '2560000',
        eventPriorityLogin: 'high',
        aggregationEnabledProcessCreate: 'true',
        hubResourceId: 7,
        baselineCustomChecksFileHash: false,
        snapshotFrequency: 'PT1H',
      }),
      previous,
    );
    expect(result.rejected).toBe(true);
    expect(result.errors.map((e) => [e.configurationName, e.errorType, e.usedConfiguration])).toEqual([
      ['maxLocalCacheSizeInBytes', 'TypeMismatch', '2560000'],
      ['maxMessageSizeInBytes', 'TypeMismatch', '204800'],
      ['eventPriorityLogin', 'TypeMismatch', 'High'],
      ['aggregationEnabledProcessCreate', 'TypeMismatch', 'true'],
      ['hubResourceId', 'TypeMismatch', ''],
      ['baselineCustomChecksFileHash', 'TypeMismatch', 'null'],
    ]);
    expect(result.errors[2]?.message).toContain('priorities are case-sensitive');
    expect(result.errors[1]?.message).toContain('must be an integer, got the number 8192.5');
  });

  it('rejects an object that is not an object, naming the object, and reports the whole configuration kept', () => {
    const result = readSecurityAgentConfiguration({ [OBJECT]: 'PT1H' }, previous);
    expect(result.rejected).toBe(true);
    expect(result.configuration).toBe(previous);
    expect(result.errors[0]?.configurationName).toBe(OBJECT);
    expect(JSON.parse(result.errors[0]?.usedConfiguration ?? '')).toMatchObject({
      highPriorityMessageFrequency: 'PT2M',
      maxMessageSizeInBytes: 204_800,
    });
    expect(readSecurityAgentConfiguration(null).errors[0]?.message).toContain(
      'desired properties must be an object',
    );
  });

  it('accepts a duration beyond 100 years as NotOptimal (the schema allows it), clamped', () => {
    const result = readSecurityAgentConfiguration(desired({ snapshotFrequency: 'P200Y' }));
    expect(result.rejected).toBe(false);
    expect(result.configuration.snapshotFrequency).toBe(36_500 * 24 * HOUR_MS);
    expect(result.errors).toEqual([
      expect.objectContaining({
        configurationName: 'snapshotFrequency',
        errorType: 'NotOptimal',
        usedConfiguration: 'P36500D',
      }),
    ]);
  });
});

describe('readSecurityAgentConfiguration: NotOptimal and Conflict apply and report (§2.5)', () => {
  const run = (values: Record<string, unknown>) => readSecurityAgentConfiguration(desired(values));

  it('maxMessageSizeInBytes not a multiple of 4096 is NotOptimal and used as given', () => {
    const result = run({ maxMessageSizeInBytes: 100_000 });
    expect(result.configuration.maxMessageSizeInBytes).toBe(100_000);
    expect(result.errors).toEqual([
      {
        configurationName: 'maxMessageSizeInBytes',
        errorType: 'NotOptimal',
        usedConfiguration: '100000',
        message: 'maxMessageSizeInBytes 100000 is not a multiple of 4096',
      },
    ]);
  });

  it('a message size above the cache is a Conflict on maxLocalCacheSizeInBytes, applied', () => {
    const result = run({ maxMessageSizeInBytes: 65_536, maxLocalCacheSizeInBytes: 16_384 });
    expect(result.rejected).toBe(false);
    expect(result.configuration).toMatchObject({
      maxMessageSizeInBytes: 65_536,
      maxLocalCacheSizeInBytes: 16_384,
    });
    expect(result.errors).toEqual([
      expect.objectContaining({
        configurationName: 'maxLocalCacheSizeInBytes',
        errorType: 'Conflict',
        usedConfiguration: '16384',
      }),
    ]);
  });

  it('a high-priority frequency longer than the low-priority one is a Conflict on the high one, applied', () => {
    const result = run({ highPriorityMessageFrequency: 'PT6H' });
    expect(result.configuration.highPriorityMessageFrequency).toBe(6 * HOUR_MS);
    expect(result.errors).toEqual([
      {
        configurationName: 'highPriorityMessageFrequency',
        errorType: 'Conflict',
        usedConfiguration: 'PT6H',
        message: 'highPriorityMessageFrequency PT6H is longer than lowPriorityMessageFrequency PT5H',
      },
    ]);
  });

  it('sizes outside the documented bounds are NotOptimal and clamped into them', () => {
    expect(run({ maxMessageSizeInBytes: 300_000 }).errors).toEqual([
      expect.objectContaining({
        configurationName: 'maxMessageSizeInBytes',
        errorType: 'NotOptimal',
        usedConfiguration: '262144',
      }),
    ]);
    const tiny = run({ maxMessageSizeInBytes: -1, maxLocalCacheSizeInBytes: 0 });
    expect(tiny.configuration).toMatchObject({
      maxMessageSizeInBytes: 8_192,
      maxLocalCacheSizeInBytes: 8_192,
    });
    expect(tiny.errors.map((e) => e.message)).toEqual([
      'maxMessageSizeInBytes -1 is below the minimum 8192; using 8192',
      'maxLocalCacheSizeInBytes 0 is below the minimum 8192; using 8192',
    ]);
  });

  it('durations under a second are NotOptimal and raised to PT1S, so a zero interval cannot spin', () => {
    const result = run({ snapshotFrequency: 'PT0S', aggregationIntervalProcessCreate: 'PT0.25S' });
    expect(result.configuration).toMatchObject({
      snapshotFrequency: 1_000,
      aggregationIntervalProcessCreate: 1_000,
    });
    expect(result.errors.map((e) => [e.configurationName, e.usedConfiguration, e.message])).toEqual([
      ['snapshotFrequency', 'PT1S', 'snapshotFrequency PT0S is shorter than one second; using PT1S'],
      [
        'aggregationIntervalProcessCreate',
        'PT1S',
        'aggregationIntervalProcessCreate PT0.25S is shorter than one second; using PT1S',
      ],
    ]);
  });

  it('custom baseline checks without their file or hash are a Conflict', () => {
    const result = run({
      baselineCustomChecksEnabled: true,
      baselineCustomChecksFilePath: '/etc/checks.xml',
    });
    expect(result.configuration.baselineCustomChecksEnabled).toBe(true);
    expect(result.errors).toEqual([
      expect.objectContaining({
        configurationName: 'baselineCustomChecksEnabled',
        errorType: 'Conflict',
        message: expect.stringContaining('baselineCustomChecksFileHash is not set') as unknown,
      }),
    ]);
    const complete = run({
      baselineCustomChecksEnabled: true,
      baselineCustomChecksFilePath: '/etc/checks.xml',
      baselineCustomChecksFileHash: 'a'.repeat(64),
    });
    expect(complete.errors).toEqual([]);
  });

  it('reports several findings in key order', () => {
    const result = run({
      maxMessageSizeInBytes: 10_000,
      maxLocalCacheSizeInBytes: 9_000,
      highPriorityMessageFrequency: 'P1D',
    });
    expect(result.errors.map((e) => `${e.errorType}:${e.configurationName}`)).toEqual([
      'NotOptimal:maxMessageSizeInBytes',
      'Conflict:maxLocalCacheSizeInBytes',
      'Conflict:highPriorityMessageFrequency',
    ]);
  });
});
