import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../duration/index.js';
import { isProtocolError } from '../errors/index.js';
import { validateSecurityMessage } from '../json/index.js';
import {
  DEFAULT_SECURITY_AGENT_CONFIGURATION as DEFAULTS,
  TWIN_CONFIGURATION_PROPERTIES,
  TWIN_CONFIGURATION_PROPERTY as OBJECT,
  applyDesiredPatch,
  createConfigurationErrorEvent,
  parseSecurityAgentConfiguration,
  readSecurityAgentConfiguration,
  toReportedConfiguration,
  type SecurityAgentConfiguration,
} from './index.js';

const current: SecurityAgentConfiguration = Object.freeze({
  ...DEFAULTS,
  highPriorityMessageFrequency: 2 * MINUTE_MS,
  snapshotFrequency: HOUR_MS,
  eventPriorityLogin: 'Off',
});

describe('applyDesiredPatch (IoT Hub desired-property merge semantics)', () => {
  it('changes only the keys in the patch', () => {
    const result = applyDesiredPatch(current, {
      $version: 9,
      [OBJECT]: { snapshotFrequency: { value: 'PT2H' } },
    });
    expect(result).toEqual({
      configuration: { ...current, snapshotFrequency: 2 * HOUR_MS },
      errors: [],
      rejected: false,
    });
  });

  it('leaves everything alone when the patch does not touch the configuration', () => {
    const result = applyDesiredPatch(current, { $version: 10, otherModuleSetting: { value: 1 } });
    expect(result.configuration).toBe(current);
    expect(result.errors).toEqual([]);
  });

  it('restores a default for a null key or a null value, and keeps the key for {}', () => {
    const result = applyDesiredPatch(current, {
      [OBJECT]: {
        highPriorityMessageFrequency: null,
        snapshotFrequency: { value: null },
        eventPriorityLogin: {},
      },
    });
    expect(result.configuration).toEqual({
      ...current,
      highPriorityMessageFrequency: DEFAULTS.highPriorityMessageFrequency,
      snapshotFrequency: DEFAULTS.snapshotFrequency,
    });
  });

  it('restores every default when the whole object is deleted', () => {
    expect(applyDesiredPatch(current, { [OBJECT]: null }).configuration).toEqual(DEFAULTS);
  });

  it('rejects the whole patch on a type mismatch, keeping the current configuration', () => {
    const result = applyDesiredPatch(current, {
      [OBJECT]: { snapshotFrequency: { value: 'PT2H' }, eventPriorityLogin: { value: 'Medium' } },
    });
    expect(result.rejected).toBe(true);
    expect(result.configuration).toBe(current);
    expect(result.errors).toEqual([
      expect.objectContaining({
        configurationName: 'eventPriorityLogin',
        errorType: 'TypeMismatch',
        usedConfiguration: 'Off',
      }),
    ]);
  });

  it('re-checks the whole result, so a patch can create a Conflict with an untouched key', () => {
    const result = applyDesiredPatch(current, {
      [OBJECT]: { lowPriorityMessageFrequency: { value: 'PT1M' } },
    });
    expect(result.rejected).toBe(false);
    expect(result.errors.map((e) => `${e.errorType}:${e.configurationName}`)).toEqual([
      'Conflict:highPriorityMessageFrequency',
    ]);
  });

  it('gives the same configuration as reading the merged document in full', () => {
    const full = {
      [OBJECT]: { snapshotFrequency: { value: 'PT3H' }, maxMessageSizeInBytes: { value: 131_072 } },
    };
    const base = readSecurityAgentConfiguration(full).configuration;
    const patched = applyDesiredPatch(base, {
      [OBJECT]: { snapshotFrequency: null, eventPriorityLogin: { value: 'Low' } },
    });
    const merged = {
      [OBJECT]: { maxMessageSizeInBytes: { value: 131_072 }, eventPriorityLogin: { value: 'Low' } },
    };
    expect(patched.configuration).toEqual(readSecurityAgentConfiguration(merged).configuration);
  });
});

describe('toReportedConfiguration', () => {
  it('reports every key, wrapped, durations in canonical ISO-8601, under the object name (§2.5)', () => {
    const reported = toReportedConfiguration(current);
    const document = reported[OBJECT];
    expect(Object.keys(document ?? {})).toEqual(TWIN_CONFIGURATION_PROPERTIES.map((p) => p.key));
    expect(document).toMatchObject({
      highPriorityMessageFrequency: { value: 'PT2M' },
      lowPriorityMessageFrequency: { value: 'PT5H' },
      snapshotFrequency: { value: 'PT1H' },
      maxLocalCacheSizeInBytes: { value: 2_560_000 },
      eventPriorityLogin: { value: 'Off' },
      aggregationEnabledProcessCreate: { value: true },
      aggregationIntervalProcessCreate: { value: 'PT1H' },
      baselineCustomChecksFilePath: { value: null },
      hubResourceId: { value: '' },
    });
  });

  it('reads back as the configuration it came from (desired = reported means accepted)', () => {
    const configuration = readSecurityAgentConfiguration({
      [OBJECT]: {
        highPriorityMessageFrequency: { value: 'PT90S' },
        baselineCustomChecksFileHash: { value: 'ab' },
      },
    }).configuration;
    const again = readSecurityAgentConfiguration(toReportedConfiguration(configuration));
    expect(again).toEqual({ configuration, errors: [], rejected: false });
    expect(toReportedConfiguration(configuration)[OBJECT]?.highPriorityMessageFrequency).toEqual({
      value: 'PT1M30S',
    });
  });
});

describe('parseSecurityAgentConfiguration', () => {
  it('returns a valid configuration and throws INVALID_TWIN_CONFIGURATION with every path otherwise', () => {
    expect(parseSecurityAgentConfiguration({})).toEqual(DEFAULTS);
    try {
      parseSecurityAgentConfiguration({
        [OBJECT]: { snapshotFrequency: 'PT1H', eventPriorityLogin: { value: 3 } },
      });
      expect.unreachable();
    } catch (error) {
      expect(isProtocolError(error, 'INVALID_TWIN_CONFIGURATION')).toBe(true);
      if (isProtocolError(error)) {
        expect(error.violations.map((v) => v.path)).toEqual([
          `$.${OBJECT}.snapshotFrequency`,
          `$.${OBJECT}.eventPriorityLogin`,
        ]);
      }
    }
  });
});

describe('createConfigurationErrorEvent', () => {
  const errors = readSecurityAgentConfiguration({
    [OBJECT]: { maxMessageSizeInBytes: { value: 10_000 }, highPriorityMessageFrequency: { value: 'P1D' } },
  }).errors;
  const options = {
    id: '6b3f3ee9-4a1d-4e3c-9d7b-0d4c2a6f1e52',
    timeMs: Date.UTC(2026, 10, 23, 1, 2, 3),
    utcOffsetMinutes: 60,
  };

  it('builds an Operational, Triggered event that Vigil’s strict validator accepts', () => {
    const event = createConfigurationErrorEvent(errors, options);
    expect(event).toMatchObject({
      Name: 'ConfigurationError',
      EventType: 'Operational',
      Category: 'Triggered',
      IsEmpty: false,
      TimestampUTC: '2026-11-23T01:02:03.000Z',
      TimestampLocal: '2026-11-23T02:02:03.000+01:00',
      Payload: [
        { ConfigurationName: 'maxMessageSizeInBytes', ErrorType: 'NotOptimal', UsedConfiguration: '10000' },
        {
          ConfigurationName: 'highPriorityMessageFrequency',
          ErrorType: 'Conflict',
          UsedConfiguration: 'P1D',
        },
      ],
    });
    const message = {
      AgentVersion: '0.1.0',
      AgentId: '0c1f8d0a-2b7e-4f55-9a83-0e4d7c6b5a41',
      MessageSchemaVersion: '1.0',
      Events: [event],
    };
    expect(validateSecurityMessage(message, { strict: true }).errors).toEqual([]);
  });

  it('is null when there is nothing to report, and refuses an id or time that cannot make an event', () => {
    expect(createConfigurationErrorEvent([], options)).toBeNull();
    expect(() => createConfigurationErrorEvent(errors, { ...options, id: 'x' })).toThrowError(
      '36-character id',
    );
    expect(() => createConfigurationErrorEvent(errors, { ...options, timeMs: Number.NaN })).toThrowError(
      'valid time',
    );
  });
});
