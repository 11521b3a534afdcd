import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice } from '../testing/connect-device.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
let connection = '';

beforeAll(async () => {
  api = await startApiTestServer();
  connection = (await api.run(['device', 'add', 'lamp-1'])).out.split('\n')[2]!.trim();
});
afterAll(async () => {
  await api?.close();
});

describe('vigil c2d', () => {
  it('queues a message with properties and a TTL; the device receives it and the queue empties', async () => {
    const sent = await api.run([
      'c2d',
      'send',
      'lamp-1',
      '{"on":true}',
      '--property',
      'room=kitchen',
      '--property',
      'level=3',
      '--ttl',
      '600',
      '--message-id',
      'm-1',
    ]);
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/^queued message m-1 for lamp-1 \(expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\n$/);
    const queued = await api.run(['c2d', 'list', 'lamp-1']);
    expect(queued.out).toMatch(/^ID\s+MESSAGE ID\s+STATE\s+DELIVERIES\s+ENQUEUED\s+EXPIRES\s+BODY\n/);
    expect(queued.out).toMatch(/\n[0-9a-f-]{36}\s+m-1\s+queued\s+0\s+\S+\s+\S+\s+"\{\\"on\\":true\}"\n/);
    expect(queued.out).toContain('queue depth: 1 message(s) waiting for lamp-1\n');

    const device = await connectDevice(api.server.hub.addresses.mqtt!.port, connection);
    try {
      const received = new Promise<{ topic: string; body: string }>((resolve) => {
        device.on('message', (topic, payload) => resolve({ topic, body: payload.toString('utf8') }));
      });
      await device.subscribeAsync('devices/lamp-1/messages/devicebound/#', { qos: 1 });
      const message = await received;
      expect(message.body).toBe('{"on":true}');
      expect(message.topic).toContain('room=kitchen');
      expect(message.topic).toContain('level=3');
    } finally {
      await device.endAsync();
    }
    const listed = JSON.parse((await api.run(['c2d', 'list', 'lamp-1', '--json'])).out);
    expect(listed.items).toEqual([
      expect.objectContaining({
        messageId: 'm-1',
        state: 'delivered',
        properties: { room: 'kitchen', level: '3' },
      }),
    ]);
    expect(Buffer.from(listed.items[0].body, 'base64').toString('utf8')).toBe('{"on":true}');
    expect((await api.run(['c2d', 'list', 'lamp-1', '--state', 'queued'])).out).toBe(
      'no messages queued for lamp-1\nqueue depth: 0 message(s) waiting for lamp-1\n',
    );
  });

  it('purges what waits in the queue', async () => {
    await api.run(['device', 'add', 'lamp-2']);
    await api.run(['c2d', 'send', 'lamp-2', 'one']);
    const second = JSON.parse((await api.run(['c2d', 'send', 'lamp-2', 'dHdv', '--base64', '--json'])).out);
    expect(second).toMatchObject({ deviceId: 'lamp-2', state: 'queued', body: 'dHdv' });
    const purged = await api.run(['c2d', 'purge', 'lamp-2']);
    expect(purged).toMatchObject({ code: 0, out: 'purged 2 message(s) from the queue of lamp-2\n' });
    expect((await api.run(['c2d', 'list', 'lamp-2'])).out).toContain('queue depth: 0 message(s)');
    const again = JSON.parse((await api.run(['c2d', 'purge', 'lamp-2', '--json'])).out);
    expect(again).toEqual({ deviceId: 'lamp-2', moduleId: null, totalMessagesPurged: 0 });
  });

  it('refuses bad properties, TTLs and unknown devices, queueing nothing', async () => {
    await api.run(['device', 'add', 'lamp-3']);
    const noValue = await api.run(['c2d', 'send', 'lamp-3', 'x', '--property', 'room']);
    expect(noValue.code).toBe(2);
    expect(noValue.err).toContain('--property must be key=value (got room)');
    const twice = await api.run(['c2d', 'send', 'lamp-3', 'x', '--property', 'a=1', '--property', 'a=2']);
    expect(twice.err).toContain('--property a is given twice');
    const ttl = await api.run(['c2d', 'send', 'lamp-3', 'x', '--ttl', '0']);
    expect(ttl.code).toBe(2);
    expect(ttl.err).toContain('--ttl must be a whole number from 1 to 172800 (got 0)');
    const notBase64 = await api.run(['c2d', 'send', 'lamp-3', 'not base64!', '--base64']);
    expect(notBase64.code).toBe(1);
    expect(notBase64.err).toContain('body.body: is not base64');
    const state = await api.run(['c2d', 'list', 'lamp-3', '--state', 'lost']);
    expect(state.err).toContain('--state must be queued, delivered, expired, rejected, purged (got lost)');
    const unknown = await api.run(['c2d', 'send', 'no-such-lamp', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('refused: NOT_FOUND (HTTP 404)');
    expect(JSON.parse((await api.run(['c2d', 'list', 'lamp-3', '--json'])).out)).toEqual({ items: [] });
  });
});
