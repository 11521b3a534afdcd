/**
 * Remote configuration end to end: a desired change to the `azureiotsecurity` module twin made
 * through the hub's twin service changes the running agent's settings and is reported back; an
 * invalid one yields a ConfigurationError event at the hub and leaves the old configuration in force;
 * a NotOptimal or Conflicting one is applied (clamped where a bound says so) and reported as a
 * ConfigurationError (reference/azure-security-module.md §2.5), all with the default protocol codec.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent, SECURITY_AGENT_CONFIGURATION_OBJECT as OBJECT } from '@vigil/agent';
import { eventually } from '../hub/support/hub-fixture.js';
import { deliveredEvents, registerSecurityModule, startAgentHub, tempDir } from './support/agent-hub.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Reported = Record<string, { value: unknown } | undefined>;

/**
 * A hub and an agent running as `deviceId`'s security module with the remote configuration on,
 * starting from High/Low frequencies of 30 s and 2 min; `reported` reads the module twin's
 * reported configuration object.
 */
async function startConfiguredAgent(deviceId: string) {
  const t = await startAgentHub();
  cleanups.push(() => t.stop());
  const connectionString = await registerSecurityModule(t, deviceId);
  const dir = tempDir('vigil-agent-config-');
  const agent = await runAgent({
    connectionString,
    transport: 'mqtt',
    env: {},
    dataDir: dir.path,
    collectorInstances: [],
    coreConfiguration: { highPriorityMessageFrequencyMs: 30_000, lowPriorityMessageFrequencyMs: 120_000 },
  });
  cleanups.push(async () => {
    await agent.stop();
    dir.remove();
  });
  const key = { deviceId, moduleId: 'azureiotsecurity' };
  const reported = async (): Promise<Reported | undefined> =>
    (await t.devices.twins.get(key)).properties.reported[OBJECT] as Reported | undefined;
  return { t, agent, key, reported };
}

describe('remote configuration through the module twin', () => {
  it('applies a desired change and reports it; rejects an invalid one with a ConfigurationError', async () => {
    const { t, agent, key, reported } = await startConfiguredAgent('dev-config');

    const initial = await eventually(reported);
    expect(initial.highPriorityMessageFrequency).toEqual({ value: 'PT30S' });
    expect(initial.lowPriorityMessageFrequency).toEqual({ value: 'PT2M' });
    expect(agent.remoteConfiguration?.problems).toEqual([]);

    await t.devices.twins.update(key, {
      desired: { [OBJECT]: { highPriorityMessageFrequency: { value: 'PT1M' } } },
    });
    await eventually(async () =>
      (await reported())?.highPriorityMessageFrequency?.value === 'PT1M' ? true : undefined,
    );
    expect(agent.core.configuration.highPriorityMessageFrequencyMs).toBe(60_000);

    await t.devices.twins.update(key, {
      desired: { [OBJECT]: { lowPriorityMessageFrequency: { value: 42 } } },
    });
    const error = await eventually(async () => {
      agent.core.flush(); // a Low event; the 2-minute frequency would outlast the test
      return (await deliveredEvents(t.hub, 'dev-config')).find((e) => e.kind === 'configuration-error');
    });
    if (error.kind !== 'configuration-error') throw new Error('not a configuration error');
    expect(error.errors.map((e) => [e.errorType, e.configurationName])).toEqual([
      ['TypeMismatch', 'lowPriorityMessageFrequency'],
    ]);
    // The value still in use for the rejected key.
    expect(error.errors[0]?.usedConfiguration).toBe('PT2M');
    expect(agent.core.configuration.highPriorityMessageFrequencyMs).toBe(60_000);
    expect(agent.core.configuration.lowPriorityMessageFrequencyMs).toBe(120_000);
    expect(agent.remoteConfiguration?.problems.map((p) => p.errorType)).toEqual(['TypeMismatch']);
    const after = await reported();
    expect(after?.lowPriorityMessageFrequency).toEqual({ value: 'PT2M' });
  });

  it('applies NotOptimal and Conflicting settings as the agents do, reporting each as a ConfigurationError', async () => {
    const { t, agent, key, reported } = await startConfiguredAgent('dev-config-2');
    await eventually(reported);

    await t.devices.twins.update(key, {
      desired: {
        [OBJECT]: {
          // Not a multiple of 4096: NotOptimal, used as given.
          maxMessageSizeInBytes: { value: 10_000 },
          // Shorter than the one-second floor: NotOptimal, clamped to PT1S.
          aggregationIntervalProcessCreate: { value: 'PT0.2S' },
          // Longer than the Low frequency (PT2M locally): Conflict on the High one, used as given.
          highPriorityMessageFrequency: { value: 'PT3M' },
        },
      },
    });
    const error = await eventually(async () => {
      agent.core.flush();
      return (await deliveredEvents(t.hub, 'dev-config-2')).find((e) => e.kind === 'configuration-error');
    });
    if (error.kind !== 'configuration-error') throw new Error('not a configuration error');
    expect(error.errors.map((e) => [e.errorType, e.configurationName, e.usedConfiguration]).sort()).toEqual([
      ['Conflict', 'highPriorityMessageFrequency', 'PT3M'],
      ['NotOptimal', 'aggregationIntervalProcessCreate', 'PT1S'],
      ['NotOptimal', 'maxMessageSizeInBytes', '10000'],
    ]);
    expect(error.errors.every((e) => e.message.length > 10)).toBe(true);
    // Applied, not rejected: the settings in force are the desired ones, clamped where a bound said so.
    const config = agent.core.configuration;
    expect(config.maxMessageSizeInBytes).toBe(10_000);
    expect(config.aggregation.ProcessCreate.intervalMs).toBe(1_000);
    expect(config.highPriorityMessageFrequencyMs).toBe(180_000);
    expect(config.lowPriorityMessageFrequencyMs).toBe(120_000);
    expect(agent.remoteConfiguration?.problems.map((p) => p.errorType).sort()).toEqual([
      'Conflict',
      'NotOptimal',
      'NotOptimal',
    ]);
    const after = await eventually(async () => {
      const r = await reported();
      return r?.highPriorityMessageFrequency?.value === 'PT3M' ? r : undefined;
    });
    expect(after.maxMessageSizeInBytes).toEqual({ value: 10_000 });
    expect(after.aggregationIntervalProcessCreate).toEqual({ value: 'PT1S' });

    // A clean update afterwards clears the problems and raises no new ConfigurationError.
    await t.devices.twins.update(key, {
      desired: {
        [OBJECT]: {
          maxMessageSizeInBytes: { value: 8_192 },
          aggregationIntervalProcessCreate: { value: 'PT1M' },
          highPriorityMessageFrequency: { value: 'PT1M' },
        },
      },
    });
    await eventually(() => (agent.core.configuration.maxMessageSizeInBytes === 8_192 ? true : undefined));
    expect(agent.remoteConfiguration?.problems).toEqual([]);
  });
});
