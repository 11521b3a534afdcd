import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SECURITY_AGENT_CONFIGURATION } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { createMockHubSender } from './__fixtures__/mock-hub-sender.js';
import { baseContext, heartbeat } from './__fixtures__/test-collectors.js';
import { createAgentCore } from './agent-core.js';
import { DEFAULT_CORE_CONFIGURATION, mergeCoreConfiguration } from './configuration.js';
import { createFakeClock } from './fake-clock.js';
import { coreConfigurationFromTwin } from './twin-configuration.js';

describe('twin configuration → core', () => {
  it('the twin defaults are the core defaults', () => {
    const fromTwin = mergeCoreConfiguration(
      DEFAULT_CORE_CONFIGURATION,
      coreConfigurationFromTwin(DEFAULT_SECURITY_AGENT_CONFIGURATION),
    );
    expect(fromTwin).toEqual(DEFAULT_CORE_CONFIGURATION);
  });

  it('a desired change switches an event off and shortens the High frequency on a running core', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-core-twin-'));
    try {
      const clock = createFakeClock();
      const hub = createMockHubSender(true);
      const context = baseContext();
      const core = createAgentCore({ clock, collectors: [], context, sender: hub, diskBufferDir: dir });
      await core.start();
      core.applyConfiguration(
        coreConfigurationFromTwin({
          ...DEFAULT_SECURITY_AGENT_CONFIGURATION,
          highPriorityMessageFrequency: 60_000,
          eventPriorityLocalUsers: 'Off',
        }),
      );
      const c = { newId: context.newId, clock };
      core.enqueue([
        { ...heartbeat(c), kind: 'local-users', name: 'LocalUsers', users: [] },
        { ...heartbeat(c), kind: 'listening-ports', name: 'ListeningPorts', ports: [] },
      ]);
      await clock.advance(60_000);
      await core.idle();
      expect(hub.events().map((e) => e.name)).toEqual(['ListeningPorts']);
      await core.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
