import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('service API: C2D', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  beforeEach(async () => {
    await api.call('PUT', '/devices/dev1', {});
  });

  it('queues, lists, refuses past the depth (QUEUE_FULL) and purges', async () => {
    const sent = await api.call('POST', '/devices/dev1/messages', {
      body: 'aGk=',
      bodyEncoding: 'base64',
      messageId: 'm1',
      properties: { k: 'v' },
      ttlSeconds: 60,
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({
      messageId: 'm1',
      state: 'queued',
      body: 'aGk=',
      properties: { k: 'v' },
    });
    await api.call('POST', '/devices/dev1/messages', { body: 'second' });
    const full = await api.call('POST', '/devices/dev1/messages', { body: 'third' });
    expect([full.statusCode, errorOf(full).code]).toEqual([403, 'QUEUE_FULL']);
    expect((await api.call('GET', '/devices/dev1/messages?state=queued')).json().items).toHaveLength(2);
    const purged = await api.call('DELETE', '/devices/dev1/commands');
    expect(purged.json()).toEqual({ deviceId: 'dev1', moduleId: null, totalMessagesPurged: 2 });
    expect((await api.call('GET', '/devices/dev1/messages?state=purged')).json().items).toHaveLength(2);
  });

  it('validates the message and refuses an unknown device', async () => {
    const bad = await api.call('POST', '/devices/dev1/messages', {
      bodyEncoding: 'hex',
      ack: 'maybe',
      properties: { n: 1 },
    });
    expect(errorOf(bad).details.map((d) => d.path)).toEqual([
      'body.body',
      'body.bodyEncoding',
      'body.ack',
      'body.properties.n',
    ]);
    expect(errorOf(await api.call('POST', '/devices/ghost/messages', { body: 'x' })).code).toBe('NOT_FOUND');
  });
});
