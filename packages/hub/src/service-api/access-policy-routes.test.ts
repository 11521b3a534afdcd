import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openApiHarness, VIEWER, type ApiHarness } from './testing/api-harness.js';

interface PolicyBody {
  keyName: string;
  rights: string[];
  primaryKey?: string;
  secondaryKey?: string;
  etag: string;
}

describe('service API: shared access policies', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  it('starts empty, creates IoT Hub’s device policy with generated keys, and records it without keys', async () => {
    expect((await api.call('GET', '/access-policies')).json()).toEqual({ items: [] });
    const created = await api.call('PUT', '/access-policies/device', {});
    expect(created.statusCode).toBe(201);
    const body = created.json<PolicyBody>();
    expect(body).toMatchObject({ keyName: 'device', rights: ['DeviceConnect'] });
    expect(Buffer.from(body.primaryKey ?? '', 'base64')).toHaveLength(32);
    expect(body.secondaryKey).not.toBe(body.primaryKey);
    expect(created.headers.etag).toBe(`"${body.etag}"`);
    const recorded = api.h.operations.named('accessPolicyCreated');
    expect(recorded).toMatchObject([
      {
        outcome: 'success',
        sourceAddress: '127.0.0.1',
        details: { name: 'device', rights: ['DeviceConnect'] },
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain(body.primaryKey);
    expect((await api.call('PUT', '/access-policies/device', {})).statusCode).toBe(409);
  });

  it('lists every problem of a bad policy with its path and stores nothing', async () => {
    const bad = await api.call('PUT', '/access-policies/bad name!', {
      rights: ['DeviceConnect', 'Root'],
      primaryKey: 'not base64 %%',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('VALIDATION_FAILED');
    expect(errorOf(bad).details.map((d) => d.path)).toEqual(['name', 'rights[1]', 'primaryKey']);
    const noRights = await api.call('PUT', '/access-policies/custom', {});
    expect(errorOf(noRights).details.map((d) => d.path)).toEqual(['rights']);
    expect((await api.call('GET', '/access-policies')).json()).toEqual({ items: [] });
    expect(api.h.operations.named('accessPolicyCreated')).toEqual([]);
  });

  it('rotates a key under its etag, swaps keys, and deletes; each change is recorded', async () => {
    const created = (
      await api.call('PUT', '/access-policies/gateway', { rights: ['DeviceConnect', 'RegistryRead'] })
    ).json<PolicyBody>();
    expect(created.rights).toEqual(['RegistryRead', 'DeviceConnect']);
    const stale = await api.call(
      'POST',
      '/access-policies/gateway/rotate',
      { key: 'primary' },
      { 'if-match': '"old"' },
    );
    expect(stale.statusCode).toBe(412);
    const rotated = (
      await api.call(
        'POST',
        '/access-policies/gateway/rotate',
        { key: 'primary' },
        { 'if-match': `"${created.etag}"` },
      )
    ).json<PolicyBody>();
    expect(rotated.primaryKey).not.toBe(created.primaryKey);
    expect(rotated.secondaryKey).toBe(created.secondaryKey);
    const swapped = (
      await api.call('POST', '/access-policies/gateway/rotate', { key: 'swap' })
    ).json<PolicyBody>();
    expect([swapped.primaryKey, swapped.secondaryKey]).toEqual([rotated.secondaryKey, rotated.primaryKey]);
    expect(api.h.operations.named('accessPolicyKeyRotated').map((o) => o.details)).toEqual([
      { name: 'gateway', key: 'primary', disconnected: 0 },
      { name: 'gateway', key: 'swap', disconnected: 0 },
    ]);
    // Sessions that used the replaced key are closed; a swap leaves both keys valid.
    expect(api.h.channel.policyDisconnects).toEqual([
      { policyName: 'gateway', reason: 'credentials changed', key: 'primary' },
    ]);
    expect((await api.call('DELETE', '/access-policies/gateway')).statusCode).toBe(204);
    expect((await api.call('DELETE', '/access-policies/gateway')).statusCode).toBe(404);
    expect((await api.call('GET', '/access-policies/gateway')).statusCode).toBe(404);
    expect(api.h.operations.named('accessPolicyDeleted')).toMatchObject([{ details: { name: 'gateway' } }]);
    expect(api.h.channel.policyDisconnects.at(-1)).toEqual({
      policyName: 'gateway',
      reason: 'policy deleted',
      key: null,
    });
  });

  it('shows viewers the policies without keys and refuses them every change', async () => {
    await api.call('PUT', '/access-policies/device', {});
    const listed = (await api.call('GET', '/access-policies', undefined, {}, VIEWER)).json<{
      items: PolicyBody[];
    }>();
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).not.toHaveProperty('primaryKey');
    expect(listed.items[0]).not.toHaveProperty('secondaryKey');
    for (const [method, url] of [
      ['PUT', '/access-policies/other'],
      ['POST', '/access-policies/device/rotate'],
      ['DELETE', '/access-policies/device'],
    ] as const) {
      expect((await api.call(method, url, {}, {}, VIEWER)).statusCode).toBe(403);
    }
    expect(api.h.operations.named('accessPolicyKeyRotated')).toEqual([]);
  });
});
