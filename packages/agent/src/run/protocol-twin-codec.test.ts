import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_CONFIGURATION, mergeCoreConfiguration } from '../core/index.js';
import { createProtocolTwinCodec } from './protocol-twin-codec.js';

const local = mergeCoreConfiguration(DEFAULT_CORE_CONFIGURATION, { highPriorityMessageFrequencyMs: 60_000 });

describe('twin codec over @vigil/protocol twin-config', () => {
  it('applies desired keys on top of the local configuration, which missing keys keep', () => {
    const codec = createProtocolTwinCodec();
    const reading = codec.read(
      { lowPriorityMessageFrequency: { value: 'PT1H' }, eventPriorityLogin: { value: 'Off' } },
      local,
    );
    expect(reading.rejected).toBe(false);
    const applied = mergeCoreConfiguration(local, reading.patch);
    expect(applied.highPriorityMessageFrequencyMs).toBe(60_000);
    expect(applied.lowPriorityMessageFrequencyMs).toBe(3_600_000);
    expect(applied.eventPriorities.Login).toBe('Off');
  });

  it('rejects the whole update on a TypeMismatch, naming the key and the value kept', () => {
    const codec = createProtocolTwinCodec();
    const reading = codec.read(
      { lowPriorityMessageFrequency: { value: 42 }, eventPriorityLogin: { value: 'Off' } },
      local,
    );
    expect(reading.rejected).toBe(true);
    expect(reading.patch).toEqual({});
    expect(reading.problems.map((p) => [p.errorType, p.configurationName, p.usedConfiguration])).toEqual([
      ['TypeMismatch', 'lowPriorityMessageFrequency', 'PT5H'],
    ]);
  });

  it('accepts a NotOptimal value, clamped where a bound says so, and names it', () => {
    const codec = createProtocolTwinCodec();
    const reading = codec.read(
      { maxMessageSizeInBytes: { value: 300_000 }, aggregationIntervalConnectionCreate: { value: 'PT0S' } },
      local,
    );
    expect(reading.rejected).toBe(false);
    expect(reading.problems.map((p) => [p.errorType, p.configurationName, p.usedConfiguration])).toEqual([
      ['NotOptimal', 'aggregationIntervalConnectionCreate', 'PT1S'],
      ['NotOptimal', 'maxMessageSizeInBytes', '262144'],
    ]);
    const applied = mergeCoreConfiguration(local, reading.patch);
    expect(applied.maxMessageSizeInBytes).toBe(262_144);
    expect(applied.aggregation.ConnectionCreate.intervalMs).toBe(1_000);
  });

  it('accepts conflicting values as given and reports the Conflict on the key §2.5 names', () => {
    const codec = createProtocolTwinCodec();
    const reading = codec.read(
      {
        highPriorityMessageFrequency: { value: 'PT6H' },
        maxMessageSizeInBytes: { value: 65_536 },
        maxLocalCacheSizeInBytes: { value: 16_384 },
      },
      local,
    );
    expect(reading.rejected).toBe(false);
    expect(reading.problems.map((p) => [p.errorType, p.configurationName, p.usedConfiguration])).toEqual([
      ['Conflict', 'maxLocalCacheSizeInBytes', '16384'],
      ['Conflict', 'highPriorityMessageFrequency', 'PT6H'],
    ]);
    const applied = mergeCoreConfiguration(local, reading.patch);
    expect(applied.highPriorityMessageFrequencyMs).toBe(6 * 3_600_000);
    expect(applied.maxLocalCacheSizeInBytes).toBe(16_384);
    expect(codec.report(applied).highPriorityMessageFrequency).toEqual({ value: 'PT6H' });
  });

  it('reports the effective configuration, remembering keys the core does not act on', () => {
    const codec = createProtocolTwinCodec();
    codec.read({ hubResourceId: { value: '/subscriptions/x' } }, local);
    const reported = codec.report(local);
    expect(reported.highPriorityMessageFrequency).toEqual({ value: 'PT1M' });
    expect(reported.hubResourceId).toEqual({ value: '/subscriptions/x' });
    const again = codec.read(reported, local);
    expect(again.problems).toEqual([]);
    expect(mergeCoreConfiguration(local, again.patch)).toEqual(local);
  });
});
