import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionString } from '@vigil/protocol';
import { connectDevice } from '../testing/connect-device.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;

beforeAll(async () => {
  api = await startApiTestServer();
});
afterAll(async () => {
  await api?.close();
});

/** Connects as the device over the hub's loopback MQTT listener and answers `reboot` with 200. */
async function connectAnsweringDevice(connectionString: string): Promise<MqttClient> {
  const client = await connectDevice(api.server.hub.addresses.mqtt!.port, connectionString);
  client.on('message', (topic, payload) => {
    const match = /^\$iothub\/methods\/POST\/([^/]+)\/\?\$rid=(.+)$/.exec(topic);
    if (match === null) return;
    const request = JSON.parse(payload.toString('utf8')) as { delay?: number } | null;
    const status = match[1] === 'reboot' ? 200 : 501;
    client.publish(
      `$iothub/methods/res/${status}/?$rid=${match[2]}`,
      JSON.stringify({ method: match[1], echoed: request }),
    );
  });
  await client.subscribeAsync('$iothub/methods/POST/#', { qos: 0 });
  return client;
}

describe('vigil device', () => {
  it('adds a device and prints its connection string; a second add conflicts', async () => {
    const added = await api.run(['device', 'add', 'thermo-1']);
    expect(added.code).toBe(0);
    expect(added.out).toMatch(
      /^registered device thermo-1\nconnection string \(keep it secret\):\n {2}HostName=/,
    );
    expect(added.out).toContain('DeviceId=thermo-1;SharedAccessKey=');
    const again = await api.run(['device', 'add', 'thermo-1']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('refused: CONFLICT (HTTP 409)');
    const module = await api.run(['device', 'add', 'thermo-1', '--module', 'azureiotsecurity', '--json']);
    expect(JSON.parse(module.out)).toMatchObject({ deviceId: 'thermo-1', moduleId: 'azureiotsecurity' });
  });

  it('lists devices and modules as tables and JSON, shows one, and removes it', async () => {
    await api.run(['device', 'add', 'valve-2', '--disabled']);
    const table = await api.run(['device', 'list']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^DEVICE\s+MODULE\s+STATUS\s+CONNECTION\s+AUTH\s+LAST ACTIVITY\n/);
    expect(table.out).toMatch(/\nvalve-2\s+-\s+disabled\s+disconnected\s+sas\s+-\n/);
    const page = JSON.parse((await api.run(['device', 'list', '--limit', '1', '--json'])).out);
    expect(page.items).toHaveLength(1);
    expect(page.next).toBe(page.items[0].deviceId);
    const modules = await api.run(['device', 'list', '--device', 'thermo-1']);
    expect(modules.out).toMatch(/\nthermo-1\s+azureiotsecurity\s+enabled/);
    const shown = await api.run(['device', 'show', 'valve-2']);
    expect(shown.out).toMatch(/^device valve-2\n {2}status\s+disabled\n/);
    // A viewer reads identities but never their keys or connection strings.
    const asViewer = await api.run(['device', 'show', 'valve-2', '--json'], { token: api.viewerToken });
    expect(JSON.parse(asViewer.out).authentication).toEqual({ type: 'sas' });
    // The server's token check answers for the hub's routes in the API's shape, not as an internal error.
    const viewerWrite = await api.run(['device', 'add', 'valve-9'], { token: api.viewerToken });
    expect(viewerWrite.code).toBe(1);
    expect(viewerWrite.err).toContain('refused: FORBIDDEN (HTTP 403): a viewer token cannot PUT');
    const wrongToken = await api.run(['device', 'list'], { token: 'vgl_wrong' });
    expect(wrongToken.err).toContain('refused: UNAUTHENTICATED (HTTP 401)');
    const refused = await api.run(['device', 'connection-string', 'valve-2'], { token: api.viewerToken });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('FORBIDDEN');
    const removed = await api.run(['device', 'remove', 'valve-2']);
    expect(removed).toMatchObject({ code: 0, out: 'removed device valve-2\n' });
    const gone = await api.run(['device', 'show', 'valve-2']);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('refused: NOT_FOUND (HTTP 404)');
  });

  it('prints the primary or secondary connection string; --key is checked', async () => {
    const primary = (await api.run(['device', 'connection-string', 'thermo-1'])).out.trim();
    const secondary = (
      await api.run(['device', 'connection-string', 'thermo-1', '--key', 'secondary'])
    ).out.trim();
    expect(parseConnectionString(primary)).toMatchObject({ kind: 'device-key', deviceId: 'thermo-1' });
    expect(secondary).not.toBe(primary);
    const bad = await api.run(['device', 'connection-string', 'thermo-1', '--key', 'tertiary']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--key must be primary or secondary');
  });
});

describe('vigil twin', () => {
  it('prints the twin, merges desired properties and tags, and refuses a stale etag', async () => {
    const twin = JSON.parse((await api.run(['twin', 'thermo-1', '--module', 'azureiotsecurity'])).out);
    expect(twin).toMatchObject({ deviceId: 'thermo-1', moduleId: 'azureiotsecurity', version: 1 });
    const desired = '{"azureiotsecurity":{"eventPriorityProcessCreate":"High"}}';
    const updated = await api.run([
      'twin',
      'thermo-1',
      '--module',
      'azureiotsecurity',
      '--set-desired',
      desired,
    ]);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out).properties.desired).toMatchObject({
      azureiotsecurity: { eventPriorityProcessCreate: 'High' },
    });
    const tagged = await api.run(['twin', 'thermo-1', '--set-tags', '{"site":"north"}', '--json']);
    expect(tagged.out.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(tagged.out).tags).toEqual({ site: 'north' });
    const stale = await api.run(['twin', 'thermo-1', '--set-tags', '{"a":1}', '--if-match', '"stale"']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('PRECONDITION_FAILED');
    const notJson = await api.run(['twin', 'thermo-1', '--set-desired', '{oops']);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain('--set-desired must be JSON');
    const notObject = await api.run(['twin', 'thermo-1', '--set-tags', '[1]']);
    expect(notObject.err).toContain('--set-tags must be a JSON object');
  });
});

describe('vigil invoke', () => {
  it("calls a connected device's method and prints its status and answer", async () => {
    const { out } = await api.run(['device', 'add', 'pump-3']);
    const device = await connectAnsweringDevice(out.split('\n')[2]!.trim());
    try {
      // The server's metrics count the live session.
      const scrape = await fetch(`${api.server.url}/metrics`, {
        headers: { authorization: `Bearer ${api.viewerToken}` },
      });
      expect(await scrape.text()).toMatch(/^vigil_hub_connected_devices 1$/m);
      const result = await api.run([
        'invoke',
        'pump-3',
        'reboot',
        '--payload',
        '{"delay":5}',
        '--timeout',
        '5',
      ]);
      expect(result.code).toBe(0);
      expect(result.err).toContain('invoking reboot on pump-3 (waiting up to 5 s)…');
      expect(result.out).toMatch(/^status 200\n/);
      expect(JSON.parse(result.out.slice('status 200\n'.length))).toEqual({
        method: 'reboot',
        echoed: { delay: 5 },
      });
      const refused = await api.run(['invoke', 'pump-3', 'selfDestruct', '--json']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.out)).toMatchObject({ status: 501 });
    } finally {
      await device.endAsync();
    }
  });

  it('an offline device is DEVICE_NOT_ONLINE; bad options are usage errors', async () => {
    const offline = await api.run(['invoke', 'thermo-1', 'reboot']);
    expect(offline.code).toBe(1);
    expect(offline.err).toContain('refused: DEVICE_NOT_ONLINE');
    const badTimeout = await api.run(['invoke', 'thermo-1', 'reboot', '--timeout', '2']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.err).toContain('--timeout must be a whole number from 5 to 3600');
    const badPayload = await api.run(['invoke', 'thermo-1', 'reboot', '--payload', 'nope']);
    expect(badPayload.err).toContain('--payload must be JSON');
  });
});
