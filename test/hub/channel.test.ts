/**
 * The seam the device services use: requests routed to a registered DeviceService, deliveries
 * through the DeviceChannel (QoS 1 resolved by the device's PUBACK), subscription and disconnect
 * notifications, subscriptions kept across a clean=false reconnect (reference/iothub-mqtt.md §0
 * item 3), and D2C counts per protocol in the operations log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceService, ServiceTopic, SessionIdentity } from '@vigil/hub';
import type { SubscriptionFilter } from '@vigil/protocol';
import { addIdentity, eventually, operations, startTestHub, type TestHub } from './support/hub-fixture.js';
import { iotHubUsername, sasToken, tryConnect } from './support/mqtt-client.js';

/** A stand-in twin service that answers every GET with 200 and records what it saw. */
function recordingService(t: () => TestHub) {
  const seen = {
    requests: [] as { identity: SessionIdentity; topic: ServiceTopic; body: string }[],
    subscribed: [] as { identity: SessionIdentity; filter: SubscriptionFilter }[],
    disconnected: [] as SessionIdentity[],
  };
  const service: DeviceService = {
    handles: ['twin-get', 'method-response'],
    async handle(identity, topic, payload) {
      seen.requests.push({ identity, topic, body: payload.toString() });
      if (topic.kind === 'twin-get') {
        await t().hub.channel.deliver(identity, {
          topic: `$iothub/twin/res/200/?$rid=${topic.rid}`,
          payload: Buffer.from('{"desired":{"$version":1},"reported":{"$version":1}}'),
          qos: 0,
        });
      }
    },
    onSubscribed: (identity, filter) => void seen.subscribed.push({ identity, filter }),
    onDisconnected: (identity) => void seen.disconnected.push(identity),
  };
  return { service, seen };
}

let t: TestHub;
const recording = recordingService(() => t);
const keys = new Map<string, string>();

beforeAll(async () => {
  t = await startTestHub({ services: [recording.service], d2cCountWindowMs: 200 });
  keys.set('ch-dev', await addIdentity(t.hub, 'ch-dev'));
});
afterAll(() => t.stop());

function connect(clean = false) {
  return tryConnect({
    port: t.mqttsPort,
    ca: t.hub.caCertificatePem,
    clientId: 'ch-dev',
    username: iotHubUsername('localhost', 'ch-dev'),
    password: sasToken({ host: 'localhost', deviceId: 'ch-dev', key: keys.get('ch-dev')! }),
    clean,
  });
}

const identity = { deviceId: 'ch-dev', moduleId: null };

describe('device channel and services', () => {
  it('routes a twin GET to the service, which answers through the channel', async () => {
    const result = await connect();
    if (!result.connected) throw new Error(result.message);
    const client = result.client;
    await client.subscribeAsync('$iothub/twin/res/#', { qos: 0 });
    const response = new Promise<string>((resolve) => client.once('message', (topic) => resolve(topic)));
    await client.publishAsync('$iothub/twin/GET/?$rid=42', ' ', { qos: 0 });
    expect(await response).toBe('$iothub/twin/res/200/?$rid=42');
    expect(recording.seen.requests.at(-1)).toMatchObject({
      identity,
      topic: { kind: 'twin-get', rid: '42' },
    });
    expect(recording.seen.subscribed).toContainEqual({ identity, filter: { kind: 'twin-responses' } });
    expect(t.hub.channel.isSubscribed(identity, 'twin-responses')).toBe(true);
    await client.endAsync();
    await eventually(() => (recording.seen.disconnected.length > 0 ? true : undefined));
    expect(t.hub.channel.isConnected(identity)).toBe(false);
  });

  it('resolves a QoS 1 delivery once the device acknowledged it, and false for an offline device', async () => {
    const result = await connect();
    if (!result.connected) throw new Error(result.message);
    const client = result.client;
    await client.subscribeAsync('devices/ch-dev/messages/devicebound/#', { qos: 1 });
    const received = new Promise<string>((resolve) =>
      client.once('message', (_topic, payload) => resolve(payload.toString())),
    );
    const delivered = await t.hub.channel.deliver(identity, {
      topic: 'devices/ch-dev/messages/devicebound/%24.mid=c1',
      payload: Buffer.from('hello device'),
      qos: 1,
    });
    expect(delivered).toBe(true);
    expect(await received).toBe('hello device');
    expect(t.hub.channel.isSubscribed(identity, 'c2d')).toBe(true);
    await client.endAsync();
    expect(
      await t.hub.channel.deliver(identity, {
        topic: 'devices/ch-dev/messages/devicebound/',
        payload: Buffer.from('x'),
        qos: 1,
      }),
    ).toBe(false);
  });

  it('keeps subscriptions across a clean=false reconnect without a new SUBSCRIBE (the SDK SAS renewal)', async () => {
    const first = await connect();
    if (!first.connected) throw new Error(first.message);
    await first.client.subscribeAsync('$iothub/methods/POST/#', { qos: 0 });
    await first.client.endAsync();
    const before = recording.seen.subscribed.filter((s) => s.filter.kind === 'methods').length;
    const second = await connect();
    if (!second.connected) throw new Error(second.message);
    expect(t.hub.channel.isSubscribed(identity, 'methods')).toBe(true);
    expect(recording.seen.subscribed.filter((s) => s.filter.kind === 'methods').length).toBeGreaterThan(
      before,
    );
    const request = new Promise<string>((resolve) =>
      second.client.once('message', (topic) => resolve(topic)),
    );
    await t.hub.channel.deliver(identity, {
      topic: '$iothub/methods/POST/reboot/?$rid=1',
      payload: Buffer.from('null'),
      qos: 0,
    });
    expect(await request).toBe('$iothub/methods/POST/reboot/?$rid=1');
    await second.client.endAsync();
  });

  it('counts D2C messages per identity and protocol in d2cReceived operations', async () => {
    const result = await connect(true);
    if (!result.connected) throw new Error(result.message);
    for (let i = 0; i < 5; i++)
      await result.client.publishAsync('devices/ch-dev/messages/events/', `m${i}`, { qos: 1 });
    await result.client.endAsync();
    const counted = await eventually(async () => {
      const ops = (await operations(t.hub, 'd2cReceived')).filter((o) => o.deviceId === 'ch-dev');
      const total = ops.reduce((sum, o) => sum + Number(o.details.count), 0);
      return total >= 5 ? ops : undefined;
    });
    expect(counted[0]?.details).toMatchObject({ protocol: 'mqtt', windowMs: 200 });
    expect(counted.reduce((sum, o) => sum + Number(o.details.bytes), 0)).toBe(10);
  });

  it('closes a session the service asks to disconnect, logging the reason', async () => {
    const result = await connect();
    if (!result.connected) throw new Error(result.message);
    const closedByHub = new Promise<void>((resolve) => result.client.once('close', () => resolve()));
    t.hub.channel.disconnect(identity, 'identityDisabled');
    await closedByHub;
    const disconnect = await eventually(async () =>
      (await operations(t.hub, 'disconnect')).find(
        (o) => o.deviceId === 'ch-dev' && o.reason === 'identityDisabled',
      ),
    );
    expect(disconnect.outcome).toBe('success');
    result.client.end(true);
  });
});
