import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeviceServices, createServiceApi, serviceApiPlugin } from './index.js';
import { errorOf, openApiHarness, VIEWER, type ApiHarness } from './testing/api-harness.js';
import { openServiceHarness } from './testing/service-harness.js';

describe('service API: auth and errors', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  it('401 without a token or with a wrong one, in the JSON error shape', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/api/hub/devices' });
    expect(none.statusCode).toBe(401);
    expect(errorOf(none)).toMatchObject({ code: 'UNAUTHENTICATED', details: [] });
    expect((await api.call('GET', '/devices', undefined, {}, 'x'.repeat(22))).statusCode).toBe(401);
  });

  it('viewers read with keys hidden, may not change anything (403) nor read connection strings', async () => {
    await api.call('PUT', '/devices/dev1', {});
    const read = await api.call('GET', '/devices/dev1', undefined, {}, VIEWER);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ authentication: { type: 'sas' } });
    expect(read.json().authentication.symmetricKey).toBeUndefined();
    const write = await api.call('PUT', '/devices/dev2', {}, {}, VIEWER);
    expect(write.statusCode).toBe(403);
    expect(errorOf(write).code).toBe('FORBIDDEN');
    expect((await api.call('GET', '/devices/dev1/connection-string', undefined, {}, VIEWER)).statusCode).toBe(
      403,
    );
  });

  it('refuses to start without an admin token, and answers unknown routes NOT_FOUND', async () => {
    await expect(
      createServiceApi({ services: api.services, operations: api.h.store.operations }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const missing = await api.call('GET', '/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
  });

  it('answers malformed JSON and oversized bodies with stable codes', async () => {
    const bad = await api.call('PUT', '/devices/dev1', '{"a":', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('VALIDATION_FAILED');
    const big = await api.call('PUT', '/ip-filter', {
      defaultAction: 'accept',
      rules: [],
      pad: 'x'.repeat(70_000),
    });
    expect(big.statusCode).toBe(413);
    expect(errorOf(big).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('service API mounted in a host app with its own auth', () => {
  it('serves under the host’s prefix and takes the role from the host', async () => {
    const h = await openServiceHarness();
    const services = createDeviceServices({ store: h.store, channel: h.channel, operations: h.operations });
    const { default: Fastify } = await import('fastify');
    const host = Fastify();
    host.addHook('onRequest', (request, reply, done) => {
      if (request.headers['x-user'] === undefined) void reply.status(401).send({ error: 'host says no' });
      else done();
    });
    await host.register(serviceApiPlugin, {
      prefix: '/api/hub',
      services,
      operations: h.store.operations,
      externalAuth: true,
      roleOf: (request) => (request.headers['x-user'] === 'boss' ? 'admin' : 'viewer'),
    });
    try {
      expect((await host.inject({ method: 'PUT', url: '/api/hub/devices/d1', payload: {} })).statusCode).toBe(
        401,
      );
      expect(
        (
          await host.inject({
            method: 'PUT',
            url: '/api/hub/devices/d1',
            payload: {},
            headers: { 'x-user': 'boss' },
          })
        ).statusCode,
      ).toBe(201);
      const viewer = await host.inject({
        method: 'GET',
        url: '/api/hub/devices/d1',
        headers: { 'x-user': 'guest' },
      });
      expect(viewer.json().authentication).toEqual({ type: 'sas' });
      const secret = await host.inject({
        method: 'GET',
        url: '/api/hub/devices/d1/connection-string',
        headers: { 'x-user': 'guest' },
      });
      expect(secret.statusCode).toBe(403);
      const write = await host.inject({
        method: 'DELETE',
        url: '/api/hub/devices/d1',
        headers: { 'x-user': 'guest' },
      });
      expect(write.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    } finally {
      await host.close();
      await services.close();
      await h.close();
    }
  });
});
