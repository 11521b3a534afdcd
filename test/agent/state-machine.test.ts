/**
 * The transport drives the security module state machine (reference/azure-security-module.md §1.4)
 * with the real hub and a fake clock: no hub → PENDING, SUSPENDED after the 300 s pending time with
 * collection stopped, and ACTIVE again (collecting, delivering) once the hub is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, runAgent } from '@vigil/agent';
import { eventually } from '../hub/support/hub-fixture.js';
import { deliveredEvents, registerSecurityModule, startAgentHub, tempDir } from './support/agent-hub.js';
import { createNumberedCollector } from './support/numbered-collector.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('connectivity → state machine', () => {
  it('goes PENDING without a hub, SUSPENDED after 300 s (collection stopped), ACTIVE when the hub returns', async () => {
    const first = await startAgentHub();
    const connectionString = await registerSecurityModule(first, 'dev-states');
    await first.stop();
    const clock = createFakeClock(Date.now());
    const collector = createNumberedCollector();
    const dir = tempDir('vigil-agent-states-');
    const agent = await runAgent({
      connectionString,
      transport: 'mqtt',
      env: {},
      dataDir: dir.path,
      remoteConfiguration: false,
      clock,
      collectorInstances: [collector],
      coreConfiguration: { firstCollectionMs: 0, highPriorityMessageFrequencyMs: 1_000 },
    });
    cleanups.push(async () => {
      await agent.stop();
      dir.remove();
    });
    const states: string[] = [];
    agent.core.onTransition((t) => states.push(t.to));
    expect(agent.core.state).toBe('PENDING');

    await clock.advance(299_000);
    expect(agent.core.state).toBe('PENDING');
    await clock.advance(3_000);
    expect(agent.core.state).toBe('SUSPENDED');
    const collectedWhileUp = collector.emitted.length;
    expect(collectedWhileUp).toBeGreaterThan(20);
    await clock.advance(60_000);
    expect(collector.emitted.length).toBe(collectedWhileUp);

    const second = await startAgentHub({ dataDir: first.dataDir, port: first.port });
    cleanups.push(() => second.stop());
    await eventually(async () => {
      await clock.advance(3_000);
      return agent.core.state === 'ACTIVE' ? true : undefined;
    }, 15_000);
    expect(states).toEqual(['SUSPENDED', 'ACTIVE']);
    // Collection resumed; the first event collected after recovery reaches the hub.
    const resumed = await eventually(async () => {
      await clock.advance(1_000);
      return collector.emitted[collectedWhileUp];
    }, 15_000);
    await eventually(async () => {
      await clock.advance(1_000);
      return (await deliveredEvents(second.hub, 'dev-states')).some((e) => e.id === resumed)
        ? true
        : undefined;
    }, 15_000);
  });
});
