import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('service API: registry', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  it('creates (201, ETag), conflicts (409), updates under If-Match (412 when stale), deletes (204)', async () => {
    const created = await api.call('PUT', '/devices/dev1', { status: 'enabled' });
    expect(created.statusCode).toBe(201);
    const etag = created.json<{ etag: string }>().etag;
    expect(created.headers.etag).toBe(`"${etag}"`);
    expect(api.h.operations.named('identityCreated')).toMatchObject([{ sourceAddress: '127.0.0.1' }]);
    expect(created.json()).toMatchObject({
      deviceId: 'dev1',
      authentication: { type: 'sas', symmetricKey: { primaryKey: expect.any(String) } },
    });
    expect((await api.call('PUT', '/devices/dev1', {})).statusCode).toBe(409);
    const stale = await api.call('PUT', '/devices/dev1', { status: 'disabled' }, { 'if-match': '"nope"' });
    expect(stale.statusCode).toBe(412);
    expect(errorOf(stale).code).toBe('PRECONDITION_FAILED');
    const disabled = await api.call(
      'PUT',
      '/devices/dev1',
      { status: 'disabled', statusReason: 'lost' },
      { 'if-match': `"${etag}"` },
    );
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ status: 'disabled', statusReason: 'lost' });
    expect(api.h.channel.disconnects).toEqual([{ identity: 'dev1', reason: 'identity disabled' }]);
    expect((await api.call('DELETE', '/devices/dev1')).statusCode).toBe(204);
    expect(errorOf(await api.call('GET', '/devices/dev1')).code).toBe('NOT_FOUND');
  });

  it('lists every violation of an identity body, including unknown fields and bad path ids', async () => {
    const response = await api.call('PUT', '/devices/dev1', {
      status: 'sleeping',
      authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'zz' } },
      colour: 'red',
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details.map((d) => d.path)).toEqual(['body.status', 'body.colour']);
    const semantic = await api.call('PUT', '/devices/dev1', {
      authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'zz' } },
    });
    expect(errorOf(semantic).details.map((d) => d.path)).toEqual(['authentication.primaryThumbprint']);
    const badId = await api.call('GET', '/devices/has%20space');
    expect(badId.statusCode).toBe(400);
    expect(errorOf(badId).details.map((d) => d.path)).toEqual(['deviceId']);
  });

  it('pages devices, lists modules and gives connection strings', async () => {
    for (const id of ['a', 'b', 'c']) await api.call('PUT', `/devices/${id}`, {});
    await api.call('PUT', '/devices/a/modules/azureiotsecurity', { authentication: { type: 'sas' } });
    const first = await api.call('GET', '/devices?limit=2');
    expect(first.json()).toMatchObject({ items: [{ deviceId: 'a' }, { deviceId: 'b' }], next: 'b' });
    const second = await api.call('GET', '/devices?limit=2&after=b&api-version=2021-04-12');
    expect(second.json()).toMatchObject({ items: [{ deviceId: 'c' }], next: null });
    expect(errorOf(await api.call('GET', '/devices?limit=0&colour=1')).details.map((d) => d.path)).toEqual([
      'query.limit',
      'query.colour',
    ]);
    const module = await api.call('GET', '/devices/a/modules/azureiotsecurity');
    expect(module.json()).toMatchObject({ deviceId: 'a', moduleId: 'azureiotsecurity' });
    expect((await api.call('GET', '/devices/b/modules/azureiotsecurity')).statusCode).toBe(404);
    expect((await api.call('GET', '/devices/a/modules')).json()).toMatchObject({
      items: [{ moduleId: 'azureiotsecurity' }],
    });
    const cs = await api.call(
      'GET',
      '/devices/a/modules/azureiotsecurity/connection-string?gatewayHostName=localhost:18883',
    );
    expect(cs.json<{ connectionString: string }>().connectionString).toMatch(
      /^HostName=hub\.test;DeviceId=a;ModuleId=azureiotsecurity;SharedAccessKey=[^;]+;GatewayHostName=localhost:18883$/,
    );
    expect((await api.call('DELETE', '/devices/a/modules/azureiotsecurity')).statusCode).toBe(204);
    expect((await api.call('GET', '/devices/a/modules')).json()).toEqual({ items: [] });
    expect((await api.call('GET', '/devices/a')).statusCode).toBe(200);
  });
});
