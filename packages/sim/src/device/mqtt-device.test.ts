import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes, type AedesPublishPacket } from 'aedes';
import { deviceResourceUri, generateSymmetricKey, parseDeviceTopic, verifySasToken } from '@vigil/protocol';
import { connectMqttDevice } from './mqtt-device.js';

const HOST = 'sim-hub.local';

/** A bare Aedes broker on loopback that checks SAS passwords: the simplest real peer for the device client. */
async function startBroker(keys: Map<string, string>) {
  const seen: { clientId: string; username: string; verified: boolean }[] = [];
  const published: AedesPublishPacket[] = [];
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const [deviceId, moduleId] = client.id.split('/');
      const key = keys.get(client.id);
      const outcome =
        key === undefined || password === undefined
          ? { ok: false }
          : verifySasToken(password.toString(), {
              key,
              expectedResourceUri: deviceResourceUri(HOST, deviceId!, moduleId),
              now: Math.floor(Date.now() / 1000),
            });
      seen.push({ clientId: client.id, username: username ?? '', verified: outcome.ok });
      if (outcome.ok) done(null, true);
      else done(Object.assign(new Error('bad credentials'), { returnCode: 4 as const }), false);
    },
  });
  broker.on('publish', (packet, client) => {
    if (client !== null) published.push(packet);
  });
  const server: Server = createServer((socket) => broker.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    seen,
    published,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('simulated device MQTT client', () => {
  it('connects as a module with an IoT Hub username and a SAS token the broker verifies, and publishes at QoS 1', async () => {
    const key = generateSymmetricKey();
    const broker = await startBroker(new Map([['gw-1/azureiotsecurity', key]]));
    cleanup.push(() => broker.close());
    const device = await connectMqttDevice(
      { url: broker.url, hostName: HOST },
      { deviceId: 'gw-1', moduleId: 'azureiotsecurity', key },
    );
    cleanup.push(() => device.close());
    await device.publish({
      body: new TextEncoder().encode('{"hello":1}'),
      properties: { system: { interfaceId: 'urn:azureiot:Security:SecurityAgent:1' } },
    });
    expect(broker.seen).toEqual([
      {
        clientId: 'gw-1/azureiotsecurity',
        username: expect.stringMatching(/^sim-hub\.local\/gw-1\/azureiotsecurity\/\?api-version=/),
        verified: true,
      },
    ]);
    expect(broker.published).toHaveLength(1);
    const packet = broker.published[0]!;
    expect(packet.qos).toBe(1);
    const topic = parseDeviceTopic(packet.topic);
    expect(topic).toMatchObject({ kind: 'd2c', deviceId: 'gw-1', moduleId: 'azureiotsecurity' });
    expect(topic.kind === 'd2c' && topic.properties.system.interfaceId).toBe(
      'urn:azureiot:Security:SecurityAgent:1',
    );
    expect(packet.payload.toString()).toBe('{"hello":1}');
  });

  it('fails to connect with a forged key and with an expired token', async () => {
    const key = generateSymmetricKey();
    const broker = await startBroker(new Map([['dev-2', key]]));
    cleanup.push(() => broker.close());
    const endpoint = { url: broker.url, hostName: HOST };
    await expect(
      connectMqttDevice(endpoint, { deviceId: 'dev-2', key }, { signingKey: generateSymmetricKey() }),
    ).rejects.toThrow();
    await expect(
      connectMqttDevice(endpoint, { deviceId: 'dev-2', key }, { ttlSeconds: -60 }),
    ).rejects.toThrow();
    expect(broker.seen.map((entry) => entry.verified)).toEqual([false, false]);
  });
});
