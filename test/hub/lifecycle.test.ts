/**
 * Hub lifecycle as an operator sees it: a graceful stop drains appends and flushes the operations
 * log (nothing recorded is lost), a restart on the same data directory keeps the CA devices trust,
 * services added with `hub.use` receive requests, and a Will on an unclean drop is stored as
 * telemetry while a Will aimed at another device's topic is not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectAsync } from 'mqtt';
import { INGEST_PROPERTIES, type DeviceService } from '@vigil/hub';
import { openSqliteStore } from '@vigil/storage';
import { addIdentity, eventually, ingestRecords, startTestHub } from './support/hub-fixture.js';
import { iotHubUsername, sasToken, tryConnect } from './support/mqtt-client.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-life-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('hub lifecycle', () => {
  it('stops gracefully with everything recorded durable, and restarts with the same CA', async () => {
    const first = await startTestHub({ dataDir, d2cCountWindowMs: 3_600_000 });
    const key = await addIdentity(first.hub, 'life-dev');
    const result = await tryConnect({
      port: first.mqttsPort,
      ca: first.hub.caCertificatePem,
      clientId: 'life-dev',
      username: iotHubUsername('localhost', 'life-dev'),
      password: sasToken({ host: 'localhost', deviceId: 'life-dev', key }),
    });
    if (!result.connected) throw new Error(result.message);
    for (let i = 0; i < 3; i++)
      await result.client.publishAsync('devices/life-dev/messages/events/', `x${i}`, { qos: 1 });
    const ca = first.hub.caCertificatePem;
    // The client stays connected: stop() must close it, count its open D2C window and flush both.
    await first.stop();
    result.client.end(true);

    const store = await openSqliteStore({ dataDir });
    try {
      const ops = await store.operations.list({ deviceId: 'life-dev', limit: 100 });
      expect(ops.map((o) => o.operation).sort()).toEqual(['connect', 'd2cReceived', 'disconnect']);
      expect(ops.find((o) => o.operation === 'd2cReceived')?.details).toMatchObject({
        count: 3,
        protocol: 'mqtt',
      });
      expect((await store.identities.get({ deviceId: 'life-dev', moduleId: null }))?.connectionState).toBe(
        'disconnected',
      );
    } finally {
      await store.close();
    }

    const second = await startTestHub({ dataDir });
    try {
      expect(second.hub.caCertificatePem).toBe(ca);
      expect((await ingestRecords(second.hub, 'd2c')).filter((r) => r.deviceId === 'life-dev')).toHaveLength(
        3,
      );
    } finally {
      await second.stop();
    }
  });
});

describe('services and Wills', () => {
  it('routes to a service added with hub.use and stores a Will published on an unclean drop', async () => {
    const t = await startTestHub();
    try {
      const seen: string[] = [];
      const service: DeviceService = {
        handles: ['twin-patch-reported'],
        handle: (_identity, topic) => Promise.resolve(void seen.push(topic.kind)),
      };
      t.hub.use(service);
      const key = await addIdentity(t.hub, 'will-dev');
      const connect = (willTopic: string) =>
        connectAsync({
          host: '127.0.0.1',
          port: t.mqttsPort,
          protocol: 'mqtts',
          servername: 'localhost',
          ca: t.hub.caCertificatePem,
          clientId: 'will-dev',
          username: iotHubUsername('localhost', 'will-dev'),
          password: sasToken({ host: 'localhost', deviceId: 'will-dev', key }),
          protocolVersion: 4,
          reconnectPeriod: 0,
          will: { topic: willTopic, payload: Buffer.from('gone'), qos: 1, retain: false },
        });
      const client = await connect('devices/will-dev/messages/events/');
      await client.publishAsync('$iothub/twin/PATCH/properties/reported/?$rid=7', '{"a":1}', { qos: 0 });
      await eventually(() => (seen.length > 0 ? true : undefined));
      expect(seen).toEqual(['twin-patch-reported']);
      // An unclean drop: the socket goes away without DISCONNECT.
      client.stream.destroy();
      const will = await eventually(async () =>
        (await ingestRecords(t.hub, 'd2c')).find((r) => r.deviceId === 'will-dev'),
      );
      expect(will.body.toString()).toBe('gone');
      expect(will.properties[INGEST_PROPERTIES.messageType]).toBe('Will');
      client.end(true);

      const forged = await connect('devices/someone-else/messages/events/');
      forged.stream.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
      forged.end(true);
      expect((await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'someone-else')).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('SAS expiry', () => {
  it('closes a session when its token expires, as IoT Hub does, logging the reason', async () => {
    const t = await startTestHub({ sasClockSkewSeconds: 0 });
    try {
      const key = await addIdentity(t.hub, 'exp-dev');
      const result = await tryConnect({
        port: t.mqttsPort,
        ca: t.hub.caCertificatePem,
        clientId: 'exp-dev',
        username: iotHubUsername('localhost', 'exp-dev'),
        password: sasToken({
          host: 'localhost',
          deviceId: 'exp-dev',
          key,
          expiresAt: Math.floor(Date.now() / 1000) + 2,
        }),
      });
      if (!result.connected) throw new Error(result.message);
      await new Promise<void>((resolve) => result.client.once('close', () => resolve()));
      const disconnect = await eventually(
        async () => (await t.hub.store.operations.list({ operation: 'disconnect', deviceId: 'exp-dev' }))[0],
      );
      expect(disconnect.reason).toBe('sasExpired');
      result.client.end(true);
    } finally {
      await t.stop();
    }
  });
});
