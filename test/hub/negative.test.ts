/**
 * The negative matrix: each refused connection or operation is asserted from the client's side
 * (CONNACK code, SUBACK 0x80, a closed connection) and by its operations-log entry and reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { createDeviceServices } from '@vigil/hub';
import type { Operation } from '@vigil/storage';
import {
  addIdentity,
  eventually,
  ingestRecords,
  newKey,
  operations,
  startTestHub,
  type TestHub,
} from './support/hub-fixture.js';
import { closed, iotHubUsername, sasToken, tryConnect, type ConnectResult } from './support/mqtt-client.js';

let t: TestHub;
const keys = new Map<string, string>();

beforeAll(async () => {
  t = await startTestHub({ settingsCacheMs: 0 });
  for (const id of ['neg-a', 'neg-b', 'neg-off', 'neg-ip']) keys.set(id, await addIdentity(t.hub, id));
  await t.hub.store.identities.update({ deviceId: 'neg-off', moduleId: null }, { status: 'disabled' });
});
afterAll(() => t.stop());

/** The registry service over the test hub, wired as the service API wires it. */
function registry() {
  return createDeviceServices({
    store: t.hub.store,
    channel: t.hub.channel,
    operations: t.hub.operations,
    invalidate: () => t.hub.invalidate(),
  }).registry;
}

function connectAs(
  clientId: string,
  options: { username?: string; password?: string } = {},
): Promise<ConnectResult> {
  return tryConnect({
    port: t.mqttsPort,
    ca: t.hub.caCertificatePem,
    clientId,
    username: options.username ?? iotHubUsername(`localhost:${t.mqttsPort}`, clientId),
    ...(options.password === undefined ? {} : { password: options.password }),
  });
}

function token(deviceId: string, extra: { key?: string; expiresAt?: number } = {}): string {
  return sasToken({
    host: `localhost:${t.mqttsPort}`,
    deviceId,
    key: extra.key ?? keys.get(deviceId) ?? newKey(),
    ...extra,
  });
}

async function lastFailure(deviceId: string): Promise<Operation> {
  return eventually(async () =>
    (await operations(t.hub, 'authenticationFailed')).filter((o) => o.deviceId === deviceId).at(-1),
  );
}

describe('refused connections', () => {
  it.each([
    ['unknown device', 'neg-ghost', () => token('neg-ghost'), 5, 'unknownIdentity'],
    ['disabled device', 'neg-off', () => token('neg-off'), 5, 'identityDisabled'],
    ['wrong key', 'neg-a', () => token('neg-a', { key: newKey() }), 4, 'sasSignatureMismatch'],
    [
      'expired token',
      'neg-a',
      () => token('neg-a', { expiresAt: Math.floor(Date.now() / 1000) - 3600 }),
      4,
      'sasExpired',
    ],
    ['token for another device', 'neg-a', () => token('neg-b'), 4, 'sasResourceMismatch'],
    ['malformed token', 'neg-a', () => 'SharedAccessSignature sr=x', 4, 'sasMalformed'],
  ])('%s: CONNACK %#', async (_name, clientId, password, code, reason) => {
    const before = (await operations(t.hub, 'authenticationFailed')).length;
    const result = await connectAs(clientId, { password: password() });
    expect(result).toMatchObject({ connected: false, returnCode: code });
    const failure = await eventually(async () => {
      const all = await operations(t.hub, 'authenticationFailed');
      return all.length > before ? all.at(-1) : undefined;
    });
    expect(failure).toMatchObject({
      deviceId: clientId,
      outcome: 'failure',
      reason,
      sourceAddress: '127.0.0.1',
    });
    expect(failure.details).toMatchObject({ returnCode: code, protocol: 'mqtt' });
  });

  it('client id that is not the identity of the username and credential: CONNACK 2, clientIdMismatch', async () => {
    const result = await connectAs('neg-a', {
      username: iotHubUsername('localhost', 'neg-b'),
      password: token('neg-b'),
    });
    expect(result).toMatchObject({ connected: false, returnCode: 2 });
    expect(await lastFailure('neg-a')).toMatchObject({ reason: 'clientIdMismatch' });
  });

  it('the official SDK sees a wrong key as an UnauthorizedError at once (no retry)', async () => {
    const client = Client.fromConnectionString(
      `HostName=localhost:${t.mqttsPort};DeviceId=neg-b;SharedAccessKey=${newKey()}`,
      Mqtt,
    );
    await client.setOptions({ ca: t.hub.caCertificatePem });
    const started = Date.now();
    await expect(client.open()).rejects.toMatchObject({ name: 'UnauthorizedError' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await lastFailure('neg-b')).toMatchObject({ reason: 'sasSignatureMismatch' });
  });

  it('an IP filter rule rejecting 127.0.0.1 refuses with CONNACK 5 until it is removed', async () => {
    const settings = await t.hub.store.hubSettings.get();
    await t.hub.store.hubSettings.put({
      ...settings,
      ipFilter: {
        defaultAction: 'accept',
        rules: [{ name: 'no-loopback', action: 'reject', ipMask: '127.0.0.0/8' }],
      },
    });
    try {
      const result = await connectAs('neg-ip', { password: token('neg-ip') });
      expect(result).toMatchObject({ connected: false, returnCode: 5 });
      const failure = await lastFailure('neg-ip');
      expect(failure).toMatchObject({ reason: 'ipFiltered', sourceAddress: '127.0.0.1' });
      expect(failure.details.message).toContain('no-loopback');
    } finally {
      await t.hub.store.hubSettings.put({ ...settings, ipFilter: { defaultAction: 'accept', rules: [] } });
    }
    const again = await connectAs('neg-ip', { password: token('neg-ip') });
    expect(again.connected).toBe(true);
    if (again.connected) await again.client.endAsync();
  });

  it('a device disabled while connected is refused on its next connect', async () => {
    const key = await addIdentity(t.hub, 'neg-later');
    keys.set('neg-later', key);
    const first = await connectAs('neg-later', { password: token('neg-later') });
    expect(first.connected).toBe(true);
    if (first.connected) await first.client.endAsync();
    // Through the registry service, as the API disables it: the cached identity is forgotten at once.
    await registry().update({ deviceId: 'neg-later', moduleId: null }, { status: 'disabled' });
    const second = await connectAs('neg-later', { password: token('neg-later') });
    expect(second).toMatchObject({ connected: false, returnCode: 5 });
    expect(await lastFailure('neg-later')).toMatchObject({ reason: 'identityDisabled' });
  });

  it('a device disabled while its connect is being authenticated does not get a session', async () => {
    const key = await addIdentity(t.hub, 'neg-race');
    keys.set('neg-race', key);
    // Hold the registry read of this identity until the device has been disabled.
    const identities = t.hub.store.identities;
    const realGet = identities.get.bind(identities);
    let release = (): void => undefined;
    let reading = (): void => undefined;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    identities.get = async (k) => {
      if (k.deviceId !== 'neg-race') return realGet(k);
      const answer = await realGet(k);
      reading();
      await gate;
      return answer;
    };
    try {
      const attempt = connectAs('neg-race', { password: token('neg-race') });
      await readStarted;
      identities.get = realGet;
      await registry().update({ deviceId: 'neg-race', moduleId: null }, { status: 'disabled' });
      // The held read answers "enabled", but it is older than the disable: the hub decides again.
      release();
      expect(await attempt).toMatchObject({ connected: false, returnCode: 5 });
      expect(t.hub.channel.isConnected({ deviceId: 'neg-race', moduleId: null })).toBe(false);
      expect(await lastFailure('neg-race')).toMatchObject({ reason: 'identityDisabled' });
    } finally {
      identities.get = realGet;
      release();
    }
  });

  it('a registry change made behind the hub (another process) is seen once the hub is told or the cache expires', async () => {
    const key = await addIdentity(t.hub, 'neg-behind');
    keys.set('neg-behind', key);
    const first = await connectAs('neg-behind', { password: token('neg-behind') });
    if (!first.connected) throw new Error(first.message);
    await first.client.endAsync();
    await t.hub.store.identities.update({ deviceId: 'neg-behind', moduleId: null }, { status: 'disabled' });
    t.hub.invalidate();
    expect(await connectAs('neg-behind', { password: token('neg-behind') })).toMatchObject({
      connected: false,
      returnCode: 5,
    });
  });
});

describe('refused operations of a connected device', () => {
  it("publishing to another device's topic closes the connection, is logged, and stores nothing", async () => {
    const result = await connectAs('neg-a', { password: token('neg-a') });
    if (!result.connected) throw new Error(result.message);
    const closing = closed(result.client);
    result.client.publish('devices/neg-b/messages/events/', 'forged', { qos: 1 });
    await closing;
    const refusal = await eventually(async () =>
      (await operations(t.hub, 'unauthorizedOperation')).find((o) => o.reason === 'foreignTopic'),
    );
    expect(refusal).toMatchObject({
      deviceId: 'neg-a',
      sourceAddress: '127.0.0.1',
      details: { action: 'publish' },
    });
    expect((await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'neg-b')).toEqual([]);
    result.client.end(true);
  });

  it("subscribing to another device's C2D gets SUBACK 0x80 and is logged; its own C2D is granted", async () => {
    const result = await connectAs('neg-a', { password: token('neg-a') });
    if (!result.connected) throw new Error(result.message);
    // mqtt.js reports a SUBACK with any 0x80 as an error that carries the packet.
    const suback = await result.client
      .subscribeAsync(['devices/neg-b/messages/devicebound/#', 'devices/neg-a/messages/devicebound/#'], {
        qos: 1,
      })
      .then(
        () => undefined,
        (error: { packet?: { granted?: number[] } }) => error.packet,
      );
    expect(suback?.granted).toEqual([128, 1]);
    const refusal = await eventually(async () =>
      (await operations(t.hub, 'unauthorizedOperation')).find((o) => o.reason === 'foreignSubscription'),
    );
    expect(refusal).toMatchObject({
      deviceId: 'neg-a',
      details: { action: 'subscribe', filter: 'devices/neg-b/messages/devicebound/#' },
    });
    await result.client.endAsync();
  });

  it('a second connection of the same identity replaces the first, logged as sessionReplaced', async () => {
    const first = await connectAs('neg-b', { password: token('neg-b') });
    if (!first.connected) throw new Error(first.message);
    const firstClosed = closed(first.client);
    const second = await connectAs('neg-b', { password: token('neg-b') });
    if (!second.connected) throw new Error(second.message);
    await firstClosed;
    const replaced = await eventually(async () =>
      (await operations(t.hub, 'sessionReplaced')).find((o) => o.deviceId === 'neg-b'),
    );
    expect(replaced.outcome).toBe('success');
    expect(t.hub.channel.isConnected({ deviceId: 'neg-b', moduleId: null })).toBe(true);
    // The API's view comes from the hub's live state before the registry's batch is written…
    expect((await registry().get({ deviceId: 'neg-b', moduleId: null })).connectionState).toBe('connected');
    // …and once it is written, the replaced session's disconnect has not overwritten "connected".
    await t.hub.flushActivity();
    const identity = await t.hub.store.identities.get({ deviceId: 'neg-b', moduleId: null });
    expect(identity?.connectionState).toBe('connected');
    first.client.end(true);
    await second.client.endAsync();
  });
});
