/**
 * The D2C-count custom alert with the official Azure IoT device SDK: the hub counts accepted messages
 * in `d2cReceived` windows (shortened here to 100 ms so the count reaches the operations log within
 * the test; the server's hub uses a minute), the runner consumes the log and runs the time-window
 * checks. Six messages over a max of 5 alert; exactly five do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message, ModuleClient } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { createAnalyticsRunner, type AnalyticsRunner } from '@vigil/analytics';
import { decodeSecurityMessage } from '@vigil/protocol';
import { startServicesHub, type ServicesHub } from '../hub-services/support/services-hub.js';

let t: ServicesHub;
let runner: AnalyticsRunner;

/** Registers `deviceId` with its security module in `group` and sends `count` messages with the SDK. */
async function sendWithSdk(deviceId: string, group: string, count: number): Promise<void> {
  expect((await t.call('PUT', `/devices/${deviceId}`, {})).status).toBe(201);
  expect((await t.call('PUT', `/devices/${deviceId}/modules/azureiotsecurity`, {})).status).toBe(201);
  expect(
    (await t.call('PATCH', `/twins/${deviceId}/modules/azureiotsecurity`, { tags: { SecurityGroup: group } }))
      .status,
  ).toBe(200);
  const { json } = await t.call(
    'GET',
    `/devices/${deviceId}/modules/azureiotsecurity/connection-string?gatewayHostName=localhost:${t.port}`,
  );
  const client = ModuleClient.fromConnectionString(json.connectionString as string, Mqtt);
  await client.setOptions({ ca: t.hub.caCertificatePem });
  await client.open();
  try {
    for (let i = 0; i < count; i += 1)
      await client.sendEvent(new Message(JSON.stringify({ temperature: 20 + i })));
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  t = await startServicesHub({ hub: { d2cCountWindowMs: 100 } });
  runner = createAnalyticsRunner({ store: t.hub.store, decode: decodeSecurityMessage });
}, 30_000);

afterAll(() => t?.stop());

describe('MqttD2CMessagesNotInAllowedRange', () => {
  it('six messages over max 5 raise IoT_CA_MqttD2CMessagesNotInAllowedRange; exactly five do not', async () => {
    await t.hub.store.securityGroups.put({
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
      await t.hub.operations.flush();
      const rows = await t.hub.store.operations.list({ operation: 'd2cReceived', limit: 100 });
      const total = rows.reduce(
        (sum, row) => sum + (typeof row.details.count === 'number' ? row.details.count : 0),
        0,
      );
      if (total >= 11) break;
    }
    await runner.processAvailable();
    await runner.runPeriodicChecks();
    const alerts = await t.hub.store.alerts.list({
      typeId: 'IoT_CA_MqttD2CMessagesNotInAllowedRange',
      limit: 10,
    });
    expect(alerts.map((alert) => alert.deviceId)).toEqual(['d2c-over']);
    expect(alerts[0]!.evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ count: 6, max: 5 })]),
    );
  });
});
