import { describe, expect, it } from 'vitest';
import { parseAgentConfiguration, pendingKeys } from './agent-config';

describe('the agent configuration editor', () => {
  it('accepts a patch of known keys with values of their type, and null to remove a key', () => {
    const result = parseAgentConfiguration(
      JSON.stringify({
        highPriorityMessageFrequency: { value: 'PT7M' },
        snapshotFrequency: { value: 'P1DT2H' },
        maxMessageSizeInBytes: { value: 204800 },
        eventPriorityLogin: { value: 'Off' },
        aggregationEnabledConnectionCreate: { value: true },
        baselineCustomChecksFilePath: { value: null },
        hubResourceId: null,
      }),
    );
    expect(result.ok).toBe(true);
  });

  it('names every problem by key instead of sending a patch the agent would refuse', () => {
    const result = parseAgentConfiguration(
      JSON.stringify({
        highPriorityMessageFrequency: { value: '7 minutes' },
        maxMessageSizeInBytes: { value: 1.5 },
        eventPriorityLogin: { value: 'high' },
        aggregationEnabledProcessCreate: true,
        colour: { value: 'red' },
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.key)).toEqual([
      'highPriorityMessageFrequency',
      'maxMessageSizeInBytes',
      'eventPriorityLogin',
      'aggregationEnabledProcessCreate',
      'colour',
    ]);
  });

  it('refuses text that is not a JSON object', () => {
    expect(parseAgentConfiguration('{ "snapshotFrequency": ')).toMatchObject({ ok: false });
    expect(parseAgentConfiguration('[]')).toMatchObject({
      ok: false,
      problems: [{ key: '(document)', message: 'must be an object of configuration keys' }],
    });
  });

  it('says which desired keys the agent has not reported back yet', () => {
    const desired = {
      $version: 3,
      snapshotFrequency: { value: 'PT1H' },
      eventPriorityLogin: { value: 'High' },
    };
    expect(pendingKeys(desired, { snapshotFrequency: { value: 'PT1H' } })).toEqual(['eventPriorityLogin']);
    expect(pendingKeys(desired, undefined)).toEqual(['snapshotFrequency', 'eventPriorityLogin']);
    expect(
      pendingKeys(desired, { snapshotFrequency: { value: 'PT1H' }, eventPriorityLogin: { value: 'High' } }),
    ).toEqual([]);
  });
});
