/**
 * The D2C-count custom alert with the official Azure IoT device SDK: the hub counts accepted messages
 * in `d2cReceived` windows (shortened here to 100 ms so the count reaches the operations log within
 * the test; the server's hub uses a minute), the runner consumes the log and runs the time-window
 * checks. Six messages over a max of 5 alert; exactly five do not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message, ModuleClient } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import type { FastifyInstance } from 'fastify';
import { createDeviceServices, createHub, createServiceApi, type DeviceServices, type Hub } from '@vigil/hub';
import { createAnalyticsRunner, type AnalyticsRunner } from '@vigil/analytics';
import { decodeSecurityMessage } from '@vigil/protocol';

const ADMIN = 'analytics-d2c-admin-token-0123456789';
let dataDir: string;
let hub: Hub;
let services: DeviceServices;
let api: FastifyInstance;
let runner: AnalyticsRunner;

async function call(method: 'GET' | 'PUT' | 'PATCH', url: string, body?: object) {
  const response = await api.inject({
    method,
    url: `/api/hub${url}`,
    headers: { authorization: `Bearer ${ADMIN}` },
    ...(body === undefined ? {} : { payload: body }),
  });
  return { status: response.statusCode, json: response.json<Record<string, unknown>>() };
}

/** Registers `deviceId` with its security module in `group` and sends `count` messages with the SDK. */
async function sendWithSdk(deviceId: string, group: string, count: number): Promise<void> {
  expect((await call('PUT', `/devices/${deviceId}`, {})).status).toBe(201);
  expect((await call('PUT', `/devices/${deviceId}/modules/azureiotsecurity`, {})).status).toBe(201);
  expect(
    (await call('PATCH', `/twins/${deviceId}/modules/azureiotsecurity`, { tags: { SecurityGroup: group } }))
      .status,
  ).toBe(200);
  const { json } = await call(
    'GET',
    `/devices/${deviceId}/modules/azureiotsecurity/connection-string?gatewayHostName=localhost:${hub.addresses.mqtts!.port}`,
  );
  const client = ModuleClient.fromConnectionString(json.connectionString as string, Mqtt);
  await client.setOptions({ ca: hub.caCertificatePem });
  await client.open();
  try {
    for (let i = 0; i < count; i += 1)
      await client.sendEvent(new Message(JSON.stringify({ temperature: 20 + i })));
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigil-analytics-d2c-'));
  hub = await createHub({
    hostName: 'localhost',
    dataDir,
    listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    operations: { flushIntervalMs: 5 },
    d2cCountWindowMs: 100,
  });
  services = createDeviceServices({
    store: hub.store,
    channel: hub.channel,
    operations: hub.operations,
    hostName: 'localhost',
    invalidate: () => hub.invalidate(),
  });
  for (const service of services.services) hub.use(service);
  await hub.start();
  api = await createServiceApi({ services, operations: hub.store.operations, adminToken: ADMIN });
  runner = createAnalyticsRunner({ store: hub.store, decode: decodeSecurityMessage });
}, 30_000);

afterAll(async () => {
  await api?.close();
  await services?.close();
  await hub?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('MqttD2CMessagesNotInAllowedRange', () => {
  it('six messages over max 5 raise IoT_CA_MqttD2CMessagesNotInAllowedRange; exactly five do not', async () => {
    await hub.store.securityGroups.put({
      name: 'd2c-limits',
      rules: [
        {
          kind: 'range',
          ruleId: 'MqttD2CMessagesNotInAllowedRange',
          enabled: true,
          min: 0,
          max: 5,
          window: 'PT15M',
        },
      ],
    });
    await sendWithSdk('d2c-over', 'd2c-limits', 6);
    await sendWithSdk('d2c-at-max', 'd2c-limits', 5);
    // Bounded wait for the counting windows to close and reach the operations log.
    for (let i = 0; i < 50; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await hub.operations.flush();
      const rows = await hub.store.operations.list({ operation: 'd2cReceived', limit: 100 });
      const total = rows.reduce(
        (sum, row) => sum + (typeof row.details.count === 'number' ? row.details.count : 0),
        0,
      );
      if (total >= 11) break;
    }
    await runner.processAvailable();
    await runner.runPeriodicChecks();
    const alerts = await hub.store.alerts.list({
      typeId: 'IoT_CA_MqttD2CMessagesNotInAllowedRange',
      limit: 10,
    });
    expect(alerts.map((alert) => alert.deviceId)).toEqual(['d2c-over']);
    expect(alerts[0]!.evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ count: 6, max: 5 })]),
    );
  });
});
