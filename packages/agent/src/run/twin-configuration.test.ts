import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_CONFIGURATION, mergeCoreConfiguration } from '../core/index.js';
import { formatIsoDuration, parseIsoDuration } from './iso-duration.js';
import { interimTwinConfigurationCodec as codec } from './twin-configuration.js';

const base = DEFAULT_CORE_CONFIGURATION;

describe('twin configuration codec (reference §2.5)', () => {
  it('reads {value}-wrapped settings, defaults for missing and null ones', () => {
    const { patch, problems } = codec.read(
      {
        highPriorityMessageFrequency: { value: 'PT1M' },
        lowPriorityMessageFrequency: null,
        eventPriorityLogin: { value: 'off' },
        aggregationEnabledProcessCreate: { value: false },
      },
      base,
    );
    expect(problems).toEqual([]);
    const applied = mergeCoreConfiguration(base, patch);
    expect(applied.highPriorityMessageFrequencyMs).toBe(60_000);
    expect(applied.lowPriorityMessageFrequencyMs).toBe(5 * 3_600_000);
    expect(applied.eventPriorities.Login).toBe('Off');
    expect(applied.aggregation.ProcessCreate.enabled).toBe(false);
  });

  it('calls a bare value or a wrong type a TypeMismatch, and finds NotOptimal and Conflict', () => {
    const { problems } = codec.read(
      {
        highPriorityMessageFrequency: 'PT1M',
        lowPriorityMessageFrequency: { value: 42 },
        maxMessageSizeInBytes: { value: 10_000 },
        maxLocalCacheSizeInBytes: { value: 9_000 },
      },
      base,
    );
    expect(problems.map((p) => `${p.errorType} ${p.configurationName}`)).toEqual([
      'TypeMismatch highPriorityMessageFrequency',
      'TypeMismatch lowPriorityMessageFrequency',
      'NotOptimal maxMessageSizeInBytes',
      'Conflict maxLocalCacheSizeInBytes',
    ]);
  });

  it('reports every key of the effective configuration, wrapped, durations in ISO-8601', () => {
    const reported = codec.report(base);
    expect(reported.highPriorityMessageFrequency).toEqual({ value: 'PT7M' });
    expect(reported.lowPriorityMessageFrequency).toEqual({ value: 'PT5H' });
    expect(reported.eventPriorityListeningPorts).toEqual({ value: 'High' });
    expect(Object.values(reported).every((v) => typeof v === 'object' && v !== null && 'value' in v)).toBe(
      true,
    );
    const { patch, problems } = codec.read(reported, base);
    expect(problems).toEqual([]);
    expect(mergeCoreConfiguration(base, patch)).toEqual(base);
  });

  it('parses and writes ISO-8601 durations', () => {
    expect(
      ['PT7M', 'PT5H', 'P1D', 'PT1.5S', 'P1W', 'P1M', 'P', 'PT', '7M', 'PT-1S'].map(parseIsoDuration),
    ).toEqual([
      420_000,
      18_000_000,
      86_400_000,
      1_500,
      604_800_000,
      2_592_000_000,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([0, 1_500, 420_000, 90_061_000].map(formatIsoDuration)).toEqual([
      'PT0S',
      'PT1.5S',
      'PT7M',
      'P1DT1H1M1S',
    ]);
  });
});
