/**
 * Custom alerts per device security group over the real server: rules set through
 * `PUT /api/security-groups/:name`, devices put in a group by the `SecurityGroup` tag of their
 * `azureiotsecurity` module twin (service API), counts driven by real traffic and service calls, then
 * the time-window checks run. Bounds are inclusive: a count at `max` is fine, `max + 1` alerts.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceResourceUri, generateSasToken } from '@vigil/protocol';
import { connectionItem, loginItem, processItem, type SimulatedIdentity } from '@vigil/sim';
import { startScenarioServer, type ScenarioEvent, type ScenarioServer } from './support/scenario-server.js';

let t: ScenarioServer;

beforeAll(async () => {
  t = await startScenarioServer();
}, 30_000);
afterAll(() => t?.stop());

const range = (ruleId: string, max: number, min = 0) => ({
  ruleId,
  enabled: true,
  min,
  max,
  window: 'PT15M',
});

const connection = (remoteAddress: string) =>
  connectionItem({
    remoteAddress,
    remotePort: 443,
    localAddress: '192.168.1.20',
    localPort: 50_000,
    direction: 'Out',
    protocol: 'tcp',
    processId: 77,
    executable: '/usr/bin/curl',
    commandLine: 'curl',
    userId: '0',
  });
const failedLogin = (userName: string, i: number) =>
  loginItem({ userName, result: 'Fail', remoteAddress: `198.51.100.${i + 1}`, processId: 50 + i });
const started = (executable: string) =>
  processItem({
    executable,
    commandLine: executable,
    processId: 9,
    parentProcessId: 1,
    userId: '0',
    userName: 'root',
  });
const hello: ScenarioEvent = { name: 'ProcessCreate', payload: [started('/bin/true')] };

async function putGroup(name: string, rules: readonly object[]): Promise<void> {
  const response = await t.call('PUT', `/api/security-groups/${name}`, { rules });
  expect(response.status).toBe(200);
}

/** The custom-alert types of one device after the time-window checks ran now. */
async function customAlerts(deviceId: string): Promise<string[]> {
  return (await t.alertKeys({ deviceId }))
    .map((key) => key.slice(deviceId.length + 1))
    .filter((type) => type.startsWith('IoT_CA_'));
}

async function runChecks(): Promise<void> {
  await t.settle();
  await t.clockRunner(() => Date.now()).runPeriodicChecks();
}

/** Subscribes to another device's C2D topic: the hub refuses it as an unauthorized operation. */
async function subscribeForeign(identity: SimulatedIdentity, target: string): Promise<void> {
  const clientId = `${identity.deviceId}/${identity.moduleId}`;
  const client = await mqtt.connectAsync(t.endpoint.url, {
    ca: t.endpoint.ca!,
    clientId,
    username: `localhost/${clientId}/?api-version=2021-04-12`,
    password: generateSasToken({
      resourceUri: deviceResourceUri('localhost', identity.deviceId, identity.moduleId),
      key: identity.key,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    }),
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  // mqtt.js rejects a SUBACK of 0x80 (failure).
  await expect(client.subscribeAsync(`devices/${target}/messages/devicebound/#`, { qos: 1 })).rejects.toThrow(
    /Subscribe error/,
  );
  await client.endAsync();
}

describe('time-window rules at their bounds', () => {
  beforeAll(async () => {
    await putGroup('plant-ranges', [
      range('MqttC2DMessagesNotInAllowedRange', 2),
      range('DirectMethodInvokesNotInAllowedRange', 1),
      range('UnauthorizedOperationsNotInAllowedRange', 0),
      range('FailedLocalLoginsNotInAllowedRange', 3),
      range('ActiveConnectionsNotInAllowedRange', 2),
      range('TwinUpdatesNotInAllowedRange', 2),
      range('MqttC2DRejectedMessagesNotInAllowedRange', 0),
    ]);
    const over = await t.addAgent('range-over', { group: 'plant-ranges' });
    const at = await t.addAgent('range-at-max', { group: 'plant-ranges' });
    // Agents report logins and connections: max + 1 on one device, exactly max on the other.
    await t.sendEvents(over, [
      { name: 'Login', payload: [0, 1, 2, 3].map((i) => failedLogin('admin', i)) },
      { name: 'ConnectionCreate', payload: ['45.1.1.1', '45.1.1.2', '45.1.1.3'].map(connection) },
    ]);
    await t.sendEvents(at, [
      { name: 'Login', payload: [0, 1, 2].map((i) => failedLogin('admin', i)) },
      { name: 'ConnectionCreate', payload: ['45.1.1.1', '45.1.1.2'].map(connection) },
    ]);
    const sendC2d = (deviceId: string, body = 'reboot') =>
      t.call('POST', `/api/hub/devices/${deviceId}/messages`, { body, bodyEncoding: 'utf8' });
    const invoke = (deviceId: string) =>
      t.call('POST', `/api/hub/twins/${deviceId}/methods`, {
        methodName: 'reboot',
        responseTimeoutInSeconds: 5,
        connectTimeoutInSeconds: 0,
      });
    const desired = (deviceId: string, n: number) =>
      t.call('PATCH', `/api/hub/twins/${deviceId}`, { properties: { desired: { interval: n } } });
    for (let i = 0; i < 3; i += 1) expect((await sendC2d('range-over')).status).toBe(201);
    for (let i = 0; i < 2; i += 1) expect((await sendC2d('range-at-max')).status).toBe(201);
    // The devices are offline: each invoke is refused (DEVICE_NOT_ONLINE) and still counts as an invoke.
    for (let i = 0; i < 2; i += 1) expect((await invoke('range-over')).status).toBe(404);
    expect((await invoke('range-at-max')).status).toBe(404);
    // The SecurityGroup tag already counts as one twin update of each device.
    for (let i = 0; i < 2; i += 1) expect((await desired('range-over', i)).status).toBe(200);
    expect((await desired('range-at-max', 1)).status).toBe(200);
    // A C2D message over IoT Hub's 64 KB limit is rejected.
    expect((await sendC2d('range-over', 'x'.repeat(70 * 1024))).status).toBe(413);
    await subscribeForeign(over, 'range-at-max');
    await runChecks();
  }, 30_000);

  it.each([
    'MqttC2DMessagesNotInAllowedRange',
    'DirectMethodInvokesNotInAllowedRange',
    'UnauthorizedOperationsNotInAllowedRange',
    'FailedLocalLoginsNotInAllowedRange',
    'ActiveConnectionsNotInAllowedRange',
    'TwinUpdatesNotInAllowedRange',
    'MqttC2DRejectedMessagesNotInAllowedRange',
  ])('%s: max + 1 raises IoT_CA_<rule>, exactly max raises nothing', async (ruleId) => {
    expect(await customAlerts('range-over')).toContain(`IoT_CA_${ruleId}`);
    expect(await customAlerts('range-at-max')).not.toContain(`IoT_CA_${ruleId}`);
  });

  it('the device at max has no custom alert at all, and the alert carries count, bounds and group', async () => {
    expect(await customAlerts('range-at-max')).toEqual([]);
    const page = await t.client.listAlerts({
      deviceId: 'range-over',
      typeId: 'IoT_CA_MqttC2DMessagesNotInAllowedRange',
    });
    const detail = await t.client.getAlert(page.items[0]!.id);
    expect(JSON.stringify(detail.evidence)).toMatch(/"count":3.*"max":2|"max":2.*"count":3/);
    expect(JSON.stringify(detail.evidence)).toContain('plant-ranges');
  });

  it('running the checks again in the same window does not raise twice', async () => {
    const before = await t.store.alerts.count({ deviceId: 'range-over' });
    await t.clockRunner(() => Date.now()).runPeriodicChecks();
    expect(await t.store.alerts.count({ deviceId: 'range-over' })).toBe(before);
  });

  it('a count below min alerts, a count at min does not', async () => {
    await putGroup('plant-min', [range('FailedLocalLoginsNotInAllowedRange', 10, 2)]);
    const below = await t.addAgent('range-below-min', { group: 'plant-min' });
    const atMin = await t.addAgent('range-at-min', { group: 'plant-min' });
    await t.sendEvents(below, [{ name: 'Login', payload: [failedLogin('admin', 0)] }]);
    await t.sendEvents(atMin, [{ name: 'Login', payload: [0, 1].map((i) => failedLogin('admin', i)) }]);
    await runChecks();
    expect(await customAlerts('range-below-min')).toEqual(['IoT_CA_FailedLocalLoginsNotInAllowedRange']);
    expect(await customAlerts('range-at-min')).toEqual([]);
  });

  it('a device in the default group with the rules disabled raises nothing for the same traffic', async () => {
    const plain = await t.addAgent('range-default');
    await t.sendEvents(plain, [
      { name: 'Login', payload: [0, 1, 2, 3].map((i) => failedLogin('admin', i)) },
      { name: 'ConnectionCreate', payload: ['45.1.1.1', '45.1.1.2', '45.1.1.3'].map(connection) },
    ]);
    await runChecks();
    expect(await customAlerts('range-default')).toEqual([]);
  });

  it('QueuePurgesNotInAllowedRange counts purges, not purged messages: two purges of an empty queue exceed max 1, one purge of three messages is exactly max', async () => {
    await putGroup('plant-purges', [range('QueuePurgesNotInAllowedRange', 1)]);
    const once = await t.addAgent('purge-once', { group: 'plant-purges' });
    const twice = await t.addAgent('purge-twice', { group: 'plant-purges' });
    await t.sendEvents(once, [hello]);
    await t.sendEvents(twice, [hello]);
    for (let i = 0; i < 3; i += 1)
      await t.call('POST', '/api/hub/devices/purge-once/messages', { body: 'x', bodyEncoding: 'utf8' });
    expect((await t.call('DELETE', '/api/hub/devices/purge-once/commands')).json).toMatchObject({
      totalMessagesPurged: 3,
    });
    expect((await t.call('DELETE', '/api/hub/devices/purge-twice/commands')).status).toBe(200);
    expect((await t.call('DELETE', '/api/hub/devices/purge-twice/commands')).status).toBe(200);
    await runChecks();
    expect({ once: await customAlerts('purge-once'), twice: await customAlerts('purge-twice') }).toEqual({
      once: [],
      twice: ['IoT_CA_QueuePurgesNotInAllowedRange'],
    });
  });
});

describe('group changes', () => {
  it('a SecurityGroup tag put on the azureiotsecurity module twin applies at once, before the next message; the same tag on the device twin does not', async () => {
    await putGroup('plant-regroup', [range('MqttC2DMessagesNotInAllowedRange', 0)]);
    const moved = await t.addAgent('regroup-module-tag');
    const unmoved = await t.addAgent('regroup-device-tag');
    // Both speak once in the default group, then never again.
    await t.sendEvents(moved, [hello]);
    await t.sendEvents(unmoved, [hello]);
    await t.settle();
    const tag = { tags: { SecurityGroup: 'plant-regroup' } };
    expect(
      (await t.call('PATCH', '/api/hub/twins/regroup-module-tag/modules/azureiotsecurity', tag)).status,
    ).toBe(200);
    expect((await t.call('PATCH', '/api/hub/twins/regroup-device-tag', tag)).status).toBe(200);
    for (const deviceId of ['regroup-module-tag', 'regroup-device-tag'])
      expect(
        (await t.call('POST', `/api/hub/devices/${deviceId}/messages`, { body: 'x', bodyEncoding: 'utf8' }))
          .status,
      ).toBe(201);
    await runChecks();
    expect({
      moved: await customAlerts('regroup-module-tag'),
      unmoved: await customAlerts('regroup-device-tag'),
    }).toEqual({ moved: ['IoT_CA_MqttC2DMessagesNotInAllowedRange'], unmoved: [] });
  });

  it('removing the tag puts the device back in the default group, again without a message', async () => {
    expect((await t.store.deviceStates.get('regroup-module-tag'))?.securityGroup).toBe('plant-regroup');
    const response = await t.call('PATCH', '/api/hub/twins/regroup-module-tag/modules/azureiotsecurity', {
      tags: { SecurityGroup: null },
    });
    expect(response.status).toBe(200);
    await t.settle();
    expect((await t.store.deviceStates.get('regroup-module-tag'))?.securityGroup).toBe('default');
  });
  it('deleting the azureiotsecurity module of a tagged device puts it back in the default group', async () => {
    const agent = await t.addAgent('regroup-module-gone', { group: 'plant-regroup' });
    await t.sendEvents(agent, [hello]);
    await t.settle();
    expect((await t.store.deviceStates.get('regroup-module-gone'))?.securityGroup).toBe('plant-regroup');
    expect(
      (await t.call('DELETE', '/api/hub/devices/regroup-module-gone/modules/azureiotsecurity')).status,
    ).toBe(204);
    await t.settle();
    expect((await t.store.deviceStates.get('regroup-module-gone'))?.securityGroup).toBe('default');
  });
});

describe('allow-lists', () => {
  beforeAll(async () => {
    await putGroup('plant-allow', [
      {
        ruleId: 'ConnectionToIpNotAllowed',
        enabled: true,
        values: ['10.0.0.0/8', '45.133.0.0/16', '2001:db8::/32'],
      },
      { ruleId: 'LocalUserNotAllowed', enabled: true, values: ['pi', 'root'] },
      { ruleId: 'ProcessNotAllowed', enabled: true, values: ['/usr/bin/python3', 'sshd', '/bin/true'] },
    ]);
  });

  it('a connection, a login and a process outside the lists each raise their IoT_CA_ alert', async () => {
    const bad = await t.addAgent('allow-raise', { group: 'plant-allow' });
    await t.sendEvents(bad, [
      { name: 'ConnectionCreate', payload: [connection('8.8.8.8')] },
      {
        name: 'Login',
        payload: [
          loginItem({ userName: 'mallory', result: 'Success', remoteAddress: '10.0.0.9', processId: 1 }),
        ],
      },
      { name: 'ProcessCreate', payload: [started('/tmp/implant')] },
    ]);
    await t.settle();
    expect(await customAlerts('allow-raise')).toEqual([
      'IoT_CA_ConnectionToIpNotAllowed',
      'IoT_CA_LocalUserNotAllowed',
      'IoT_CA_ProcessNotAllowed',
    ]);
  });

  it('listed addresses (IPv4-mapped IPv6 included), users and executables (by path or file name) raise nothing', async () => {
    const good = await t.addAgent('allow-near', { group: 'plant-allow' });
    await t.sendEvents(good, [
      {
        name: 'ConnectionCreate',
        payload: [connection('10.1.2.3'), connection('::ffff:45.133.7.7'), connection('2001:db8::1')],
      },
      {
        name: 'Login',
        payload: [
          loginItem({ userName: 'pi', result: 'Success', remoteAddress: '10.0.0.9', processId: 1 }),
          loginItem({ userName: 'root', result: 'Fail', remoteAddress: '10.0.0.9', processId: 2 }),
        ],
      },
      { name: 'ProcessCreate', payload: [started('/usr/bin/python3'), started('/usr/sbin/sshd')] },
    ]);
    await t.settle();
    expect(await customAlerts('allow-near')).toEqual([]);
  });

  it('the same traffic from a device of the default group (lists disabled) raises nothing', async () => {
    const plain = await t.addAgent('allow-default');
    await t.sendEvents(plain, [
      { name: 'ConnectionCreate', payload: [connection('8.8.8.8')] },
      { name: 'ProcessCreate', payload: [started('/tmp/implant')] },
    ]);
    await t.settle();
    expect(await customAlerts('allow-default')).toEqual([]);
  });
});
