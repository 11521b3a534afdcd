/**
 * The MQTT transport against the real hub, with its timers on a fake clock: reconnect delays grow
 * with jitter and a redial happens only when its delay has passed; a SAS token is renewed (by a
 * planned reconnect) before it expires; sends fail fast while offline and resolve on PUBACK.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFakeClock,
  createJsonEncoder,
  createMemoryLogger,
  createMqttTransport,
  createSeededRandom,
  JSON_SECURITY_PROPERTIES,
  type MqttTransport,
  type OutgoingMessage,
} from '@vigil/agent';
import { eventually } from '../hub/support/hub-fixture.js';
import { deliveredEvents, registerSecurityModule, startAgentHub } from './support/agent-hub.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const encode = createJsonEncoder({ agentId: '5f0c1d7e-2a1b-4c3d-8e9f-0a1b2c3d4e5f', agentVersion: '0.1.0' });
function message(id: string): OutgoingMessage {
  const body = encode([
    {
      id,
      name: 'Heartbeat',
      eventType: 'Security',
      category: 'Periodic',
      timeUtc: Date.now(),
      format: 'json-1.0',
      kind: 'heartbeat',
    },
  ]);
  return { priority: 'High', body, eventCount: 1, createdAt: Date.now() };
}

function track(transport: MqttTransport): MqttTransport {
  cleanups.push(() => transport.stop());
  return transport;
}

describe('MQTT transport', () => {
  it('backs off exponentially with jitter while the hub is down and connects once it is back', async () => {
    const first = await startAgentHub();
    const connectionString = await registerSecurityModule(first, 'dev-backoff');
    await first.stop();
    const clock = createFakeClock(Date.now());
    const logger = createMemoryLogger();
    const transport = track(
      createMqttTransport({
        connectionString,
        tls: false,
        properties: JSON_SECURITY_PROPERTIES,
        clock,
        logger,
        random: createSeededRandom(7),
      }),
    );
    const retries = () => logger.lines.filter((l) => l.message === 'hub connection: retrying');
    transport.start();
    await expect(transport.send(message('00000000-0000-4000-8000-000000000001'))).rejects.toThrow(
      /not connected/,
    );
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await eventually(() => (retries().length === attempt + 1 ? true : undefined));
      const delay = Number(retries()[attempt]?.fields?.inMs);
      const ceiling = Math.min(60_000, 1000 * 2 ** attempt);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
      // Nothing is redialled before the delay has passed.
      await clock.advance(delay - 1);
      expect(transport.stats().failedAttempts).toBe(attempt + 1);
      await clock.advance(1);
      await eventually(() => (transport.stats().failedAttempts === attempt + 2 ? true : undefined));
    }
    const second = await startAgentHub({ dataDir: first.dataDir, port: first.port });
    cleanups.push(() => second.stop());
    await clock.advance(60_000);
    await eventually(() => (transport.isConnected() ? true : undefined));
    await transport.send(message('00000000-0000-4000-8000-000000000002'));
    const events = await deliveredEvents(second.hub, 'dev-backoff');
    expect(events.map((e) => e.id)).toContain('00000000-0000-4000-8000-000000000002');
  });

  it('renews its SAS token before expiry with a planned reconnect, and keeps delivering', async () => {
    const t = await startAgentHub();
    cleanups.push(() => t.stop());
    const connectionString = await registerSecurityModule(t, 'dev-renew');
    const clock = createFakeClock(Date.now());
    const transport = track(
      createMqttTransport({
        connectionString,
        tls: false,
        properties: JSON_SECURITY_PROPERTIES,
        clock,
        sasTokenTtlSeconds: 120,
        sasRenewalMarginSeconds: 60,
      }),
    );
    const changes: boolean[] = [];
    transport.onConnectionChange((up) => changes.push(up));
    transport.start();
    await eventually(() => (transport.isConnected() ? true : undefined));
    await clock.advance(59_000);
    expect(transport.stats().tokenRenewals).toBe(0);
    await clock.advance(2_000);
    await eventually(() => (transport.stats().connects === 2 && transport.isConnected() ? true : undefined));
    expect(transport.stats().tokenRenewals).toBe(1);
    expect(changes).toEqual([true, false, true]);
    await transport.send(message('00000000-0000-4000-8000-000000000003'));
    expect((await deliveredEvents(t.hub, 'dev-renew')).map((e) => e.id)).toEqual([
      '00000000-0000-4000-8000-000000000003',
    ]);
  });
});
