import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openApiHarness, type ApiHarness } from './testing/api-harness.js';

const dev = { deviceId: 'dev1', moduleId: null };

describe('service API: twins and methods', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  beforeEach(async () => {
    await api.call('PUT', '/devices/dev1', {});
  });

  it('patches desired under If-Match and pushes the change to the subscribed device', async () => {
    api.h.channel.connect(dev, ['twin-desired']);
    const twin = await api.call('GET', '/twins/dev1');
    expect(twin.json()).toMatchObject({
      deviceId: 'dev1',
      properties: { desired: { $version: 1 }, reported: { $version: 1 } },
    });
    const patched = await api.call(
      'PATCH',
      '/twins/dev1',
      { properties: { desired: { level: 'high' } }, tags: { site: 'lab' } },
      { 'if-match': twin.headers.etag as string },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      tags: { site: 'lab' },
      properties: { desired: { level: 'high', $version: 2 } },
    });
    expect(api.h.channel.delivered.map((d) => d.topic)).toEqual([
      '$iothub/twin/PATCH/properties/desired/?$version=2',
    ]);
    const stale = await api.call(
      'PATCH',
      '/twins/dev1',
      { tags: { x: 1 } },
      { 'if-match': twin.headers.etag as string },
    );
    expect(stale.statusCode).toBe(412);
    const invalid = await api.call('PATCH', '/twins/dev1', {
      properties: { desired: { 'a.b': 1 }, extra: {} },
    });
    expect(errorOf(invalid).details.map((d) => d.path)).toEqual(['body.properties.extra']);
    const invalidKey = await api.call('PATCH', '/twins/dev1', { properties: { desired: { 'a.b': 1 } } });
    expect(errorOf(invalidKey).details.map((d) => d.path)).toEqual(['properties.desired.a.b']);
  });

  it('invokes a method and returns the device’s status and payload', async () => {
    api.h.channel.connect(dev, ['methods']);
    const pending = api.call('POST', '/twins/dev1/methods', {
      methodName: 'reboot',
      payload: { now: true },
      responseTimeoutInSeconds: 30,
    });
    const request = await api.h.channel.next();
    const rid = request.topic.slice(request.topic.indexOf('$rid=') + 5);
    await api.services.methods.service.handle(
      dev,
      { kind: 'method-response', status: 200, rid },
      Buffer.from('{"done":1}'),
    );
    const response = await pending;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 200, payload: { done: 1 } });
  });

  it('404 DEVICE_NOT_ONLINE offline, 504 GATEWAY_TIMEOUT without an answer, 400 for bad timeouts', async () => {
    const offline = await api.call('POST', '/twins/dev1/methods', { methodName: 'm' });
    expect([offline.statusCode, errorOf(offline).code]).toEqual([404, 'DEVICE_NOT_ONLINE']);
    expect(offline.json()).toMatchObject({ error: { iotHubErrorCode: 404103 } });
    api.h.channel.connect(dev, ['methods']);
    const timeout = await api.call('POST', '/twins/dev1/methods', {
      methodName: 'm',
      responseTimeoutInSeconds: 5,
    });
    expect([timeout.statusCode, errorOf(timeout).code]).toEqual([504, 'GATEWAY_TIMEOUT']);
    expect(timeout.json()).toMatchObject({ error: { iotHubErrorCode: 504101 } });
    const bad = await api.call('POST', '/twins/dev1/methods', {
      responseTimeoutInSeconds: 4000,
      connectTimeoutInSeconds: -1,
    });
    expect(errorOf(bad).details.map((d) => d.path)).toEqual([
      'body.methodName',
      'body.responseTimeoutInSeconds',
      'body.connectTimeoutInSeconds',
    ]);
  });
});
