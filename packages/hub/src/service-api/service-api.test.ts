import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCertificate } from '../tls/index.js';
import { createDeviceServices, createServiceApi, serviceApiPlugin, type DeviceServices } from './index.js';
import { openServiceHarness, type ServiceHarness } from './testing/service-harness.js';

const ADMIN = 'admin-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const dev = { deviceId: 'dev1', moduleId: null };

type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

describe('service API', () => {
  let h: ServiceHarness;
  let services: DeviceServices;
  let app: FastifyInstance;
  const call = (
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    token = ADMIN,
  ) =>
    app.inject({
      method,
      url: `/api/hub${url}`,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const errorOf = (response: LightMyRequestResponse) =>
    response.json<{ error: { code: string; message: string; details: { path: string }[] } }>().error;

  beforeEach(async () => {
    h = await openServiceHarness();
    h.now = Date.now();
    services = createDeviceServices({
      store: h.store,
      channel: h.channel,
      operations: h.operations,
      clock: () => h.now,
      hostName: 'hub.test',
      methods: { millisPerSecond: 10 },
      c2d: { maxDepth: 2, sweepIntervalMs: 0 },
    });
    app = await createServiceApi({
      services,
      operations: h.store.operations,
      adminToken: ADMIN,
      viewerToken: VIEWER,
    });
  });
  afterEach(async () => {
    await app.close();
    await services.close();
    await h.close();
  });

  describe('auth and errors', () => {
    it('401 without a token or with a wrong one, in the JSON error shape', async () => {
      const none = await app.inject({ method: 'GET', url: '/api/hub/devices' });
      expect(none.statusCode).toBe(401);
      expect(errorOf(none)).toMatchObject({ code: 'UNAUTHENTICATED', details: [] });
      expect((await call('GET', '/devices', undefined, {}, 'x'.repeat(22))).statusCode).toBe(401);
    });

    it('viewers read with keys hidden, may not change anything (403) nor read connection strings', async () => {
      await call('PUT', '/devices/dev1', {});
      const read = await call('GET', '/devices/dev1', undefined, {}, VIEWER);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ authentication: { type: 'sas' } });
      expect(read.json().authentication.symmetricKey).toBeUndefined();
      const write = await call('PUT', '/devices/dev2', {}, {}, VIEWER);
      expect(write.statusCode).toBe(403);
      expect(errorOf(write).code).toBe('FORBIDDEN');
      expect((await call('GET', '/devices/dev1/connection-string', undefined, {}, VIEWER)).statusCode).toBe(
        403,
      );
    });

    it('refuses to start without an admin token, and answers unknown routes NOT_FOUND', async () => {
      await expect(createServiceApi({ services, operations: h.store.operations })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      const missing = await call('GET', '/nothing-here');
      expect(missing.statusCode).toBe(404);
      expect(errorOf(missing).code).toBe('NOT_FOUND');
    });

    it('answers malformed JSON and oversized bodies with stable codes', async () => {
      const bad = await call('PUT', '/devices/dev1', '{"a":', { 'content-type': 'application/json' });
      expect(bad.statusCode).toBe(400);
      expect(errorOf(bad).code).toBe('VALIDATION_FAILED');
      const big = await call('PUT', '/ip-filter', {
        defaultAction: 'accept',
        rules: [],
        pad: 'x'.repeat(70_000),
      });
      expect(big.statusCode).toBe(413);
      expect(errorOf(big).code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('registry', () => {
    it('creates (201, ETag), conflicts (409), updates under If-Match (412 when stale), deletes (204)', async () => {
      const created = await call('PUT', '/devices/dev1', { status: 'enabled' });
      expect(created.statusCode).toBe(201);
      const etag = created.json<{ etag: string }>().etag;
      expect(created.headers.etag).toBe(`"${etag}"`);
      expect(created.json()).toMatchObject({
        deviceId: 'dev1',
        authentication: { type: 'sas', symmetricKey: { primaryKey: expect.any(String) } },
      });
      expect((await call('PUT', '/devices/dev1', {})).statusCode).toBe(409);
      const stale = await call('PUT', '/devices/dev1', { status: 'disabled' }, { 'if-match': '"nope"' });
      expect(stale.statusCode).toBe(412);
      expect(errorOf(stale).code).toBe('PRECONDITION_FAILED');
      const disabled = await call(
        'PUT',
        '/devices/dev1',
        { status: 'disabled', statusReason: 'lost' },
        { 'if-match': `"${etag}"` },
      );
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json()).toMatchObject({ status: 'disabled', statusReason: 'lost' });
      expect(h.channel.disconnects).toEqual([{ identity: 'dev1', reason: 'identity disabled' }]);
      expect((await call('DELETE', '/devices/dev1')).statusCode).toBe(204);
      expect(errorOf(await call('GET', '/devices/dev1')).code).toBe('NOT_FOUND');
    });

    it('lists every violation of an identity body, including unknown fields and bad path ids', async () => {
      const response = await call('PUT', '/devices/dev1', {
        status: 'sleeping',
        authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'zz' } },
        colour: 'red',
      });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).details.map((d) => d.path)).toEqual(['body.status', 'body.colour']);
      const semantic = await call('PUT', '/devices/dev1', {
        authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'zz' } },
      });
      expect(errorOf(semantic).details.map((d) => d.path)).toEqual(['authentication.primaryThumbprint']);
      const badId = await call('GET', '/devices/has%20space');
      expect(badId.statusCode).toBe(400);
      expect(errorOf(badId).details.map((d) => d.path)).toEqual(['deviceId']);
    });

    it('pages devices, lists modules and gives connection strings', async () => {
      for (const id of ['a', 'b', 'c']) await call('PUT', `/devices/${id}`, {});
      await call('PUT', '/devices/a/modules/azureiotsecurity', { authentication: { type: 'sas' } });
      const first = await call('GET', '/devices?limit=2');
      expect(first.json()).toMatchObject({ items: [{ deviceId: 'a' }, { deviceId: 'b' }], next: 'b' });
      const second = await call('GET', '/devices?limit=2&after=b');
      expect(second.json()).toMatchObject({ items: [{ deviceId: 'c' }], next: null });
      expect(errorOf(await call('GET', '/devices?limit=0&colour=1')).details.map((d) => d.path)).toEqual([
        'query.limit',
        'query.colour',
      ]);
      expect((await call('GET', '/devices/a/modules')).json()).toMatchObject({
        items: [{ moduleId: 'azureiotsecurity' }],
      });
      const cs = await call(
        'GET',
        '/devices/a/modules/azureiotsecurity/connection-string?gatewayHostName=localhost:18883',
      );
      expect(cs.json<{ connectionString: string }>().connectionString).toMatch(
        /^HostName=hub\.test;DeviceId=a;ModuleId=azureiotsecurity;SharedAccessKey=[^;]+;GatewayHostName=localhost:18883$/,
      );
    });
  });

  describe('twins and methods', () => {
    beforeEach(async () => {
      await call('PUT', '/devices/dev1', {});
    });

    it('patches desired under If-Match and pushes the change to the subscribed device', async () => {
      h.channel.connect(dev, ['twin-desired']);
      const twin = await call('GET', '/twins/dev1');
      expect(twin.json()).toMatchObject({
        deviceId: 'dev1',
        properties: { desired: { $version: 1 }, reported: { $version: 1 } },
      });
      const patched = await call(
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
      expect(h.channel.delivered.map((d) => d.topic)).toEqual([
        '$iothub/twin/PATCH/properties/desired/?$version=2',
      ]);
      const stale = await call(
        'PATCH',
        '/twins/dev1',
        { tags: { x: 1 } },
        { 'if-match': twin.headers.etag as string },
      );
      expect(stale.statusCode).toBe(412);
      const invalid = await call('PATCH', '/twins/dev1', {
        properties: { desired: { 'a.b': 1 }, extra: {} },
      });
      expect(errorOf(invalid).details.map((d) => d.path)).toEqual(['body.properties.extra']);
      const invalidKey = await call('PATCH', '/twins/dev1', { properties: { desired: { 'a.b': 1 } } });
      expect(errorOf(invalidKey).details.map((d) => d.path)).toEqual(['properties.desired.a.b']);
    });

    it('invokes a method and returns the device’s status and payload', async () => {
      h.channel.connect(dev, ['methods']);
      const pending = call('POST', '/twins/dev1/methods', {
        methodName: 'reboot',
        payload: { now: true },
        responseTimeoutInSeconds: 30,
      });
      const request = await h.channel.next();
      const rid = request.topic.slice(request.topic.indexOf('$rid=') + 5);
      await services.methods.service.handle(
        dev,
        { kind: 'method-response', status: 200, rid },
        Buffer.from('{"done":1}'),
      );
      const response = await pending;
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 200, payload: { done: 1 } });
    });

    it('404 DEVICE_NOT_ONLINE offline, 504 GATEWAY_TIMEOUT without an answer, 400 for bad timeouts', async () => {
      const offline = await call('POST', '/twins/dev1/methods', { methodName: 'm' });
      expect([offline.statusCode, errorOf(offline).code]).toEqual([404, 'DEVICE_NOT_ONLINE']);
      h.channel.connect(dev, ['methods']);
      const timeout = await call('POST', '/twins/dev1/methods', {
        methodName: 'm',
        responseTimeoutInSeconds: 5,
      });
      expect([timeout.statusCode, errorOf(timeout).code]).toEqual([504, 'GATEWAY_TIMEOUT']);
      const bad = await call('POST', '/twins/dev1/methods', {
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

  describe('C2D', () => {
    beforeEach(async () => {
      await call('PUT', '/devices/dev1', {});
    });

    it('queues, lists, refuses past the depth (QUEUE_FULL) and purges', async () => {
      const sent = await call('POST', '/devices/dev1/messages', {
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
      await call('POST', '/devices/dev1/messages', { body: 'second' });
      const full = await call('POST', '/devices/dev1/messages', { body: 'third' });
      expect([full.statusCode, errorOf(full).code]).toEqual([403, 'QUEUE_FULL']);
      expect((await call('GET', '/devices/dev1/messages?state=queued')).json().items).toHaveLength(2);
      const purged = await call('DELETE', '/devices/dev1/commands');
      expect(purged.json()).toEqual({ deviceId: 'dev1', moduleId: null, totalMessagesPurged: 2 });
      expect((await call('GET', '/devices/dev1/messages?state=purged')).json().items).toHaveLength(2);
    });

    it('validates the message and refuses an unknown device', async () => {
      const bad = await call('POST', '/devices/dev1/messages', {
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
      expect(errorOf(await call('POST', '/devices/ghost/messages', { body: 'x' })).code).toBe('NOT_FOUND');
    });
  });

  describe('settings', () => {
    it('adds a CA, proves possession and deletes it under its etag', async () => {
      const ca = await issueCertificate({ subject: 'CN=Root', isCa: true });
      const added = await call('PUT', '/certificates/root', { certificate: ca.certificatePem });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ name: 'root', isVerified: false });
      const { verificationCode } = (await call('POST', '/certificates/root/verification-code')).json<{
        verificationCode: string;
      }>();
      const proof = await issueCertificate({ subject: `CN=${verificationCode}`, issuer: ca });
      const verified = await call('POST', '/certificates/root/verify', { certificate: proof.certificatePem });
      expect(verified.json()).toMatchObject({ isVerified: true });
      expect(
        (await call('DELETE', '/certificates/root', undefined, { 'if-match': '"old"' })).statusCode,
      ).toBe(412);
      expect(
        (
          await call('DELETE', '/certificates/root', undefined, {
            'if-match': verified.headers.etag as string,
          })
        ).statusCode,
      ).toBe(204);
      expect((await call('GET', '/certificates')).json()).toEqual({ items: [] });
    });

    it('replaces the IP filter and manages diagnostic settings', async () => {
      const put = await call('PUT', '/ip-filter', {
        defaultAction: 'reject',
        rules: [{ name: 'lab', action: 'accept', ipMask: '127.0.0.0/8' }],
      });
      expect(put.json()).toMatchObject({ defaultAction: 'reject', rules: [{ name: 'lab' }] });
      const bad = await call('PUT', '/ip-filter', {
        defaultAction: 'reject',
        rules: [{ name: 'x', action: 'accept', ipMask: '1.2.3.4/40' }, { name: 'y' }],
      });
      expect(errorOf(bad).details.map((d) => d.path)).toEqual([
        'body.rules[1].action',
        'body.rules[1].ipMask',
      ]);
      const worse = await call('PUT', '/ip-filter', {
        defaultAction: 'reject',
        rules: [{ name: 'x', action: 'accept', ipMask: '1.2.3.4/40' }],
      });
      expect(errorOf(worse).details.map((d) => d.path)).toEqual(['rules[0].ipMask']);
      expect(
        (
          await call('PUT', '/diagnostic-settings/siem', {
            destination: 'syslog://x',
            categories: ['Connections'],
          })
        ).statusCode,
      ).toBe(200);
      expect((await call('GET', '/diagnostic-settings')).json()).toEqual({
        items: [{ name: 'siem', destination: 'syslog://x', categories: ['Connections'] }],
      });
      expect((await call('DELETE', '/diagnostic-settings/siem')).statusCode).toBe(204);
      expect((await call('DELETE', '/diagnostic-settings/siem')).statusCode).toBe(404);
    });
  });

  describe('operations log', () => {
    it('filters by device, operation, outcome and time, newest first, paged with before', async () => {
      const base = Date.UTC(2026, 0, 1);
      await h.store.operations.record(
        Array.from({ length: 5 }, (_, i) => ({
          at: base + i * 1000,
          operation: i % 2 === 0 ? 'connect' : 'authenticationFailed',
          outcome: i % 2 === 0 ? ('success' as const) : ('failure' as const),
          deviceId: i < 4 ? 'dev1' : 'dev2',
          ...(i % 2 === 0 ? {} : { reason: 'sasExpired' }),
        })),
      );
      const page1 = await call('GET', '/operations?deviceId=dev1&limit=2');
      const body1 = page1.json<{ items: { time: string }[]; next: number }>();
      expect(body1.items.map((o) => o.time)).toEqual([
        new Date(base + 3000).toISOString(),
        new Date(base + 2000).toISOString(),
      ]);
      const page2 = await call('GET', `/operations?deviceId=dev1&limit=2&before=${body1.next}`);
      expect(page2.json().items).toHaveLength(2);
      const failures = await call(
        'GET',
        `/operations?operation=authenticationFailed&outcome=failure&since=${new Date(base + 2000).toISOString()}`,
      );
      expect(failures.json()).toMatchObject({
        items: [{ reason: 'sasExpired', deviceId: 'dev1' }],
        next: null,
      });
      const bad = await call('GET', '/operations?operation=fly&since=yesterday');
      expect(errorOf(bad).details.map((d) => d.path)).toEqual(['query.operation', 'query.since']);
    });
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
