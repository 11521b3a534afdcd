/**
 * Hub-level shared access policies at CONNECT: the official SDK with a device connection string
 * carrying `SharedAccessKeyName=` (its token then has `skn`, reference/iothub-mqtt.md §1.3) over
 * MQTT/TLS, and the refusals — unknown policy, a policy without DeviceConnect, a bad signature, an
 * expired token, an unknown or disabled identity — each by its CONNACK code and operations-log reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Message } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { createDeviceServices, INGEST_PROPERTIES } from '@vigil/hub';
import { deviceResourceUri, generateSasToken } from '@vigil/protocol';
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
import { closed, iotHubUsername, tryConnect } from './support/mqtt-client.js';

let t: TestHub;
const DEVICE_POLICY = { primary: newKey(), secondary: newKey() };
const SERVICE_KEY = newKey();

beforeAll(async () => {
  t = await startTestHub();
  await t.hub.store.accessPolicies.create({
    name: 'device',
    rights: ['DeviceConnect'],
    primaryKey: DEVICE_POLICY.primary,
    secondaryKey: DEVICE_POLICY.secondary,
  });
  await t.hub.store.accessPolicies.create({
    name: 'service',
    rights: ['ServiceConnect'],
    primaryKey: SERVICE_KEY,
    secondaryKey: newKey(),
  });
  for (const id of ['pol-sdk', 'pol-neg', 'pol-off']) await addIdentity(t.hub, id);
  await addIdentity(t.hub, 'pol-gw', 'azureiotsecurity');
  await t.hub.store.identities.update({ deviceId: 'pol-off', moduleId: null }, { status: 'disabled' });
});
afterAll(() => t.stop());

/** A policy token for `{host}/devices/{id}[/modules/{m}]` (or `resource` when given). */
function policyToken(options: {
  readonly policy: string;
  readonly key: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly resource?: string;
  readonly expiresAt?: number;
}): string {
  return generateSasToken({
    resourceUri:
      options.resource ?? deviceResourceUri(`localhost:${t.mqttsPort}`, options.deviceId, options.moduleId),
    key: options.key,
    policyName: options.policy,
    expiresAt: options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600,
  });
}

function connectAs(clientId: string, password: string) {
  return tryConnect({
    port: t.mqttsPort,
    ca: t.hub.caCertificatePem,
    clientId,
    username: iotHubUsername(`localhost:${t.mqttsPort}`, clientId),
    password,
  });
}

async function failures(deviceId: string): Promise<Operation[]> {
  return (await operations(t.hub, 'authenticationFailed')).filter((o) => o.deviceId === deviceId);
}

describe('a device connecting with a shared access policy', () => {
  it('the official SDK connects over TLS with SharedAccessKeyName=device and its telemetry is ingested', async () => {
    const client = Client.fromConnectionString(
      `HostName=localhost:${t.mqttsPort};DeviceId=pol-sdk;SharedAccessKeyName=device;SharedAccessKey=${DEVICE_POLICY.primary}`,
      Mqtt,
    );
    await client.setOptions({ ca: t.hub.caCertificatePem });
    await client.open();
    const message = new Message(JSON.stringify({ via: 'policy' }));
    message.messageId = 'pol-1';
    await client.sendEvent(message);
    await client.close();

    const records = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'pol-sdk');
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]!.body.toString())).toEqual({ via: 'policy' });
    expect(records[0]!.properties).toMatchObject({
      '$.mid': 'pol-1',
      [INGEST_PROPERTIES.deviceId]: 'pol-sdk',
    });
    expect(JSON.parse(records[0]!.properties[INGEST_PROPERTIES.authMethod] ?? '{}')).toMatchObject({
      scope: 'hub',
      type: 'sas',
    });
    const connect = await eventually(async () =>
      (await operations(t.hub, 'connect')).find((o) => o.deviceId === 'pol-sdk'),
    );
    expect(connect).toMatchObject({
      outcome: 'success',
      details: { protocol: 'mqtt', authMethod: 'sasPolicy', matched: 'device/primary' },
    });
  });

  it('accepts the secondary key, a module resource and a {host}/devices prefix token', async () => {
    const secondary = await connectAs(
      'pol-neg',
      policyToken({ policy: 'device', key: DEVICE_POLICY.secondary, deviceId: 'pol-neg' }),
    );
    expect(secondary.connected).toBe(true);
    if (secondary.connected) {
      await secondary.client.endAsync();
      await closed(secondary.client);
    }
    const moduleResult = await connectAs(
      'pol-gw/azureiotsecurity',
      policyToken({
        policy: 'device',
        key: DEVICE_POLICY.primary,
        deviceId: 'pol-gw',
        moduleId: 'azureiotsecurity',
      }),
    );
    expect(moduleResult.connected).toBe(true);
    if (moduleResult.connected) await moduleResult.client.endAsync();
    const prefix = await connectAs(
      'pol-neg',
      policyToken({
        policy: 'device',
        key: DEVICE_POLICY.primary,
        deviceId: 'pol-neg',
        resource: `localhost:${t.mqttsPort}/devices`,
      }),
    );
    expect(prefix.connected).toBe(true);
    if (prefix.connected) await prefix.client.endAsync();
    const connects = await eventually(async () => {
      const found = (await operations(t.hub, 'connect')).filter(
        (o) => o.deviceId === 'pol-neg' || o.deviceId === 'pol-gw',
      );
      return found.length === 3 ? found : undefined;
    });
    expect(connects.map((o) => [o.moduleId, o.details.matched])).toEqual([
      [null, 'device/secondary'],
      ['azureiotsecurity', 'device/primary'],
      [null, 'device/primary'],
    ]);
  });

  it.each([
    [
      'an unknown policy',
      'pol-neg',
      () => policyToken({ policy: 'nosuch', key: newKey(), deviceId: 'pol-neg' }),
      4,
      'unknownPolicy',
    ],
    [
      'a policy without DeviceConnect',
      'pol-neg',
      () => policyToken({ policy: 'service', key: SERVICE_KEY, deviceId: 'pol-neg' }),
      5,
      'policyLacksDeviceConnect',
    ],
    [
      'a token signed with another key',
      'pol-neg',
      () => policyToken({ policy: 'device', key: newKey(), deviceId: 'pol-neg' }),
      4,
      'sasSignatureMismatch',
    ],
    [
      'an expired token',
      'pol-neg',
      () =>
        policyToken({
          policy: 'device',
          key: DEVICE_POLICY.primary,
          deviceId: 'pol-neg',
          expiresAt: Math.floor(Date.now() / 1000) - 3600,
        }),
      4,
      'sasExpired',
    ],
    [
      'a token for another device',
      'pol-neg',
      () => policyToken({ policy: 'device', key: DEVICE_POLICY.primary, deviceId: 'pol-sdk' }),
      4,
      'sasResourceMismatch',
    ],
    [
      'an identity the registry does not have',
      'pol-ghost',
      () => policyToken({ policy: 'device', key: DEVICE_POLICY.primary, deviceId: 'pol-ghost' }),
      5,
      'unknownIdentity',
    ],
    [
      'a disabled identity',
      'pol-off',
      () => policyToken({ policy: 'device', key: DEVICE_POLICY.primary, deviceId: 'pol-off' }),
      5,
      'identityDisabled',
    ],
  ])('refuses %s with CONNACK %i and reason %s', async (_what, deviceId, token, returnCode, reason) => {
    const before = (await failures(deviceId)).length;
    const result = await connectAs(deviceId, token());
    expect(result).toMatchObject({ connected: false, returnCode });
    const failure = await eventually(async () => {
      const all = await failures(deviceId);
      return all.length > before ? all.at(-1) : undefined;
    });
    expect(failure).toMatchObject({
      reason,
      outcome: 'failure',
      sourceAddress: '127.0.0.1',
      details: { returnCode },
    });
  });

  it('the official SDK with a ServiceConnect-only policy gets an UnauthorizedError, not a retry', async () => {
    const client = Client.fromConnectionString(
      `HostName=localhost:${t.mqttsPort};DeviceId=pol-neg;SharedAccessKeyName=service;SharedAccessKey=${SERVICE_KEY}`,
      Mqtt,
    );
    await client.setOptions({ ca: t.hub.caCertificatePem });
    await expect(client.open()).rejects.toMatchObject({ name: 'UnauthorizedError' });
    await client.close().catch(() => undefined);
  });

  it('a deleted policy and a rotated key stop working on the next connect', async () => {
    // Through the settings service, as the API changes them: the hub's policy cache is forgotten at once.
    const policies = createDeviceServices({
      store: t.hub.store,
      channel: t.hub.channel,
      operations: t.hub.operations,
      invalidate: () => t.hub.invalidate(),
    }).settings.accessPolicies;
    const key = newKey();
    await policies.create({
      name: 'temp',
      rights: ['DeviceConnect'],
      primaryKey: key,
      secondaryKey: newKey(),
    });
    const first = await connectAs('pol-neg', policyToken({ policy: 'temp', key, deviceId: 'pol-neg' }));
    expect(first.connected).toBe(true);
    if (first.connected) await first.client.endAsync();
    await policies.rotate('temp', 'primary');
    expect(
      await connectAs('pol-neg', policyToken({ policy: 'temp', key, deviceId: 'pol-neg' })),
    ).toMatchObject({
      connected: false,
      returnCode: 4,
    });
    await policies.delete('temp');
    expect(
      await connectAs('pol-neg', policyToken({ policy: 'temp', key, deviceId: 'pol-neg' })),
    ).toMatchObject({
      connected: false,
      returnCode: 4,
    });
    const reasons = (await failures('pol-neg')).slice(-2).map((o) => o.reason);
    expect(reasons).toEqual(['sasSignatureMismatch', 'unknownPolicy']);
  });

  it('rotating a policy key closes the sessions that used it; deleting the policy closes the rest', async () => {
    const services = createDeviceServices({
      store: t.hub.store,
      channel: t.hub.channel,
      operations: t.hub.operations,
      invalidate: () => t.hub.invalidate(),
    });
    const policies = services.settings.accessPolicies;
    try {
      const gateway = await policies.create({ name: 'gateway', rights: ['DeviceConnect'] });
      const onPrimary = await connectAs(
        'pol-neg',
        policyToken({ policy: 'gateway', key: gateway.primaryKey, deviceId: 'pol-neg' }),
      );
      const onSecondary = await connectAs(
        'pol-sdk',
        policyToken({ policy: 'gateway', key: gateway.secondaryKey, deviceId: 'pol-sdk' }),
      );
      if (!onPrimary.connected || !onSecondary.connected) throw new Error('both should connect');
      const primaryClosed = closed(onPrimary.client);

      await policies.rotate('gateway', 'primary');
      await primaryClosed;
      expect(onSecondary.client.connected).toBe(true);
      const secondaryClosed = closed(onSecondary.client);
      await policies.delete('gateway');
      await secondaryClosed;

      const disconnects = await eventually(async () => {
        const found = (await operations(t.hub, 'disconnect')).filter(
          (o) => o.reason === 'credentials changed' || o.reason === 'policy deleted',
        );
        return found.length === 2 ? found : undefined;
      });
      expect(disconnects.map((o) => [o.deviceId, o.reason])).toEqual([
        ['pol-neg', 'credentials changed'],
        ['pol-sdk', 'policy deleted'],
      ]);
      const changes = (await operations(t.hub)).filter(
        (o) => o.operation.startsWith('accessPolicy') && o.details.name === 'gateway',
      );
      expect(changes.map((o) => [o.operation, o.details])).toEqual([
        ['accessPolicyCreated', { name: 'gateway', rights: ['DeviceConnect'] }],
        ['accessPolicyKeyRotated', { name: 'gateway', key: 'primary', disconnected: 1 }],
        ['accessPolicyDeleted', { name: 'gateway', disconnected: 1 }],
      ]);
    } finally {
      await services.close();
    }
  });
});
