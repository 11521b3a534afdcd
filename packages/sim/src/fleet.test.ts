import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes, type AedesPublishPacket } from 'aedes';
import { decodeRtosMessage, generateSymmetricKey } from '@vigil/protocol';
import { startFleet, type Fleet, type FleetDevice, type FleetEvent } from './fleet.js';

/**
 * A bare Aedes broker on loopback that lets every client in and allows every topic — unlike the hub,
 * which is the point for the scenario checks below. (SAS verification is mqtt-device.test.ts's.)
 */
async function startOpenBroker() {
  const published: AedesPublishPacket[] = [];
  const broker = await Aedes.createBroker();
  broker.on('publish', (packet, client) => {
    if (client !== null) published.push(packet);
  });
  const server: Server = createServer((socket) => broker.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`,
    published,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const T0 = Date.UTC(2026, 10, 22, 12);
const key = generateSymmetricKey();
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Polls until `check` holds, at most ~5 s. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((r) => setTimeout(r, 50));
}

async function runFleet(
  devices: readonly FleetDevice[],
  seed: number,
  until: (events: FleetEvent[]) => boolean,
  now?: () => number,
) {
  const broker = await startOpenBroker();
  cleanup.push(() => broker.close());
  const events: FleetEvent[] = [];
  const fleet: Fleet = await startFleet({
    endpoint: { url: broker.url, hostName: 'sim-hub.local' },
    devices,
    seed,
    tickMs: 50,
    attackAfterMs: 100,
    ...(now === undefined ? {} : { now }),
    onEvent: (event) => events.push(event),
  });
  cleanup.push(() => fleet.stop());
  await eventually(() => until(events));
  await fleet.stop();
  return { broker, events };
}

describe('startFleet', () => {
  it('sends the same bytes for the same seed, other bytes for another, from each profile', async () => {
    const devices: FleetDevice[] = [
      { identity: { deviceId: 'gw', moduleId: 'azureiotsecurity', key }, profile: 'json-agent' },
      { identity: { deviceId: 'meter', key }, profile: 'rtos' },
      { identity: { deviceId: 'sensor', key }, profile: 'telemetry' },
    ];
    const firstMessages = async (seed: number) => {
      const { broker } = await runFleet(
        devices,
        seed,
        (list) =>
          new Set(
            list.flatMap((event) => (event.kind === 'published' ? [event.device.identity.deviceId] : [])),
          ).size === devices.length,
        // A fixed clock: every byte a device sends then depends on the seed alone.
        () => T0,
      );
      const byTopic = new Map<string, string>();
      for (const packet of broker.published) {
        const device = packet.topic.split('/')[1]!;
        if (!byTopic.has(device)) byTopic.set(device, Buffer.from(packet.payload).toString('hex'));
      }
      return byTopic;
    };
    const first = await firstMessages(3);
    expect([...first.keys()].sort()).toEqual(['gw', 'meter', 'sensor']);
    expect(decodeRtosMessage(Buffer.from(first.get('meter')!, 'hex')).events).toHaveLength(3);
    expect(await firstMessages(3)).toEqual(first);
    const other = await firstMessages(4);
    for (const device of ['gw', 'meter', 'sensor']) expect(other.get(device)).not.toBe(first.get(device));
  });

  it('unauthorized-topics reports what a hub failed to refuse as errors', async () => {
    const devices: FleetDevice[] = [
      { identity: { deviceId: 'intruder', key }, profile: 'telemetry', scenario: 'unauthorized-topics' },
      { identity: { deviceId: 'victim', key }, profile: 'telemetry' },
    ];
    const { broker, events } = await runFleet(devices, 1, (list) =>
      list.some((event) => event.kind === 'attack'),
    );
    // This broker grants everything; the hub refuses all three (the CLI's scenario tests show it).
    expect(errorsOf(events)).toEqual([
      'intruder: the hub granted devices/victim/messages/devicebound/#',
      'intruder: the hub granted devices/victim/modules/azureiotsecurity/inputs/#',
      'intruder: the hub kept the connection after a publish to devices/victim/messages/events/',
    ]);
    expect(broker.published.some((packet) => packet.topic === 'devices/victim/messages/events/')).toBe(true);
    expect(events.find((event) => event.kind === 'attack')).toMatchObject({
      scenario: 'unauthorized-topics',
      refused: 0,
    });
  }, 15_000);

  it('certificate-churn without the service API is an error, and the device carries on', async () => {
    const devices: FleetDevice[] = [
      { identity: { deviceId: 'admin-pc', key }, profile: 'telemetry', scenario: 'certificate-churn' },
    ];
    const { events } = await runFleet(
      devices,
      1,
      (list) => list.filter((event) => event.kind === 'published').length >= 5,
    );
    expect(errorsOf(events)).toEqual([
      'admin-pc: certificate-churn needs the service API (an API address and an admin token)',
    ]);
    expect(events.find((event) => event.kind === 'attack')).toMatchObject({ refused: 0 });
    const attackAt = events.findIndex((event) => event.kind === 'attack');
    expect(events.slice(attackAt).some((event) => event.kind === 'published')).toBe(true);
  });
});

function errorsOf(events: readonly FleetEvent[]): string[] {
  return events.flatMap((event) =>
    event.kind === 'error' ? [`${event.device.identity.deviceId}: ${event.message}`] : [],
  );
}
