import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.js';

const KEY_A = 'c2VjcmV0LXByaW1hcnkta2V5LWZvci1kZXZpY2UtYQ==';
const KEY_B = 'c2Vjb25kYXJ5LWtleS1mb3ItZGV2aWNlLWEtMTIzNA==';

/** Identities, CA certificates, hub settings, security groups, threat-intel feeds. */
export function registryContract({ open }: ContractContext): void {
  describe('identities', () => {
    it('creates a device with SAS keys and reads it back with the keys intact', async () => {
      const store = await open();
      const created = await store.identities.create(
        { deviceId: 'dev-1', moduleId: null, auth: { type: 'sas', primaryKey: KEY_A, secondaryKey: KEY_B } },
        1_000,
      );
      expect(created).toMatchObject({
        deviceId: 'dev-1',
        moduleId: null,
        status: 'enabled',
        connectionState: 'disconnected',
      });
      expect(await store.identities.get({ deviceId: 'dev-1', moduleId: null })).toEqual(created);
      expect(created.auth).toEqual({ type: 'sas', primaryKey: KEY_A, secondaryKey: KEY_B });
    });

    it('refuses a duplicate identity and a module of an unknown device', async () => {
      const store = await open();
      const device = { deviceId: 'dev-1', moduleId: null, auth: { type: 'certificateAuthority' as const } };
      await store.identities.create(device);
      await expect(store.identities.create(device)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(
        store.identities.create({
          deviceId: 'ghost',
          moduleId: 'azureiotsecurity',
          auth: { type: 'certificateAuthority' },
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('updates under an etag and refuses a stale one', async () => {
      const store = await open();
      const key = { deviceId: 'dev-1', moduleId: null };
      const created = await store.identities.create({ ...key, auth: { type: 'certificateAuthority' } });
      const disabled = await store.identities.update(
        key,
        { status: 'disabled', statusReason: 'stolen' },
        { ifMatch: created.etag },
      );
      expect(disabled).toMatchObject({ status: 'disabled', statusReason: 'stolen' });
      expect(disabled.etag).not.toBe(created.etag);
      await expect(
        store.identities.update(key, { status: 'enabled' }, { ifMatch: created.etag }),
      ).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      await expect(
        store.identities.update({ deviceId: 'nope', moduleId: null }, { status: 'enabled' }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('lists devices and modules in key order, page by page', async () => {
      const store = await open();
      for (const deviceId of ['b', 'a', 'c'])
        await store.identities.create({ deviceId, moduleId: null, auth: { type: 'certificateAuthority' } });
      await store.identities.create({
        deviceId: 'a',
        moduleId: 'azureiotsecurity',
        auth: { type: 'certificateAuthority' },
      });
      const first = await store.identities.list({ limit: 2 });
      expect(first.map((i) => [i.deviceId, i.moduleId])).toEqual([
        ['a', null],
        ['a', 'azureiotsecurity'],
      ]);
      const rest = await store.identities.list({ limit: 10, after: first[1] });
      expect(rest.map((i) => i.deviceId)).toEqual(['b', 'c']);
      expect((await store.identities.list({ deviceId: 'a' })).length).toBe(2);
      await expect(store.identities.list({ limit: 100_000 })).rejects.toMatchObject({
        code: 'LIMIT_EXCEEDED',
      });
    });

    it('deleting a device removes its modules and twins', async () => {
      const store = await open();
      await store.identities.create({
        deviceId: 'd',
        moduleId: null,
        auth: { type: 'certificateAuthority' },
      });
      await store.identities.create({ deviceId: 'd', moduleId: 'm', auth: { type: 'certificateAuthority' } });
      await store.twins.patchTags({ deviceId: 'd', moduleId: 'm' }, { SecurityGroup: 'x' });
      expect(await store.identities.delete({ deviceId: 'd', moduleId: null })).toBe(true);
      expect(await store.identities.get({ deviceId: 'd', moduleId: 'm' })).toBeUndefined();
      expect(await store.twins.get({ deviceId: 'd', moduleId: 'm' })).toBeUndefined();
      expect(await store.identities.delete({ deviceId: 'd', moduleId: null })).toBe(false);
    });

    it('records activity and connection state without changing the etag', async () => {
      const store = await open();
      const key = { deviceId: 'dev-1', moduleId: null };
      const created = await store.identities.create({ ...key, auth: { type: 'certificateAuthority' } });
      await store.identities.recordActivity(key, { at: 5_000, connectionState: 'connected' });
      await store.identities.recordActivity(key, { at: 6_000 });
      const after = await store.identities.get(key);
      expect(after).toMatchObject({
        connectionState: 'connected',
        connectionStateUpdatedAt: 5_000,
        lastActivityAt: 6_000,
        etag: created.etag,
      });
    });

    it('records a batch of activity in one call, skipping unknown identities, etags unchanged', async () => {
      const store = await open();
      const a = { deviceId: 'act-a', moduleId: null };
      const b = { deviceId: 'act-b', moduleId: null };
      const createdA = await store.identities.create({ ...a, auth: { type: 'certificateAuthority' } });
      await store.identities.create({ ...b, auth: { type: 'certificateAuthority' } });
      await store.identities.recordActivity(b, { at: 1_000, connectionState: 'connected' });
      await store.identities.recordActivities([
        { ...a, lastActivityAt: 7_000, connectionState: 'connected', connectionStateAt: 6_500 },
        { ...b, lastActivityAt: 8_000 },
        { deviceId: 'act-missing', moduleId: null, lastActivityAt: 9_000, connectionState: 'connected' },
      ]);
      expect(await store.identities.get(a)).toMatchObject({
        connectionState: 'connected',
        connectionStateUpdatedAt: 6_500,
        lastActivityAt: 7_000,
        etag: createdA.etag,
      });
      expect(await store.identities.get(b)).toMatchObject({
        connectionState: 'connected',
        connectionStateUpdatedAt: 1_000,
        lastActivityAt: 8_000,
      });
      expect(await store.identities.get({ deviceId: 'act-missing', moduleId: null })).toBeUndefined();
      await store.identities.recordActivities([]);
    });

    it('finds identities by X.509 thumbprint, either slot, any case', async () => {
      const store = await open();
      await store.identities.create({
        deviceId: 'x1',
        moduleId: null,
        auth: { type: 'selfSigned', primaryThumbprint: 'aa11', secondaryThumbprint: 'BB22' },
      });
      await store.identities.create({
        deviceId: 'x2',
        moduleId: null,
        auth: { type: 'selfSigned', primaryThumbprint: 'BB22', secondaryThumbprint: 'CC33' },
      });
      expect((await store.identities.findByThumbprint('AA11')).map((i) => i.deviceId)).toEqual(['x1']);
      expect((await store.identities.findByThumbprint('bb22')).map((i) => i.deviceId)).toEqual(['x1', 'x2']);
    });
  });

  describe('CA certificates', () => {
    it('adds, verifies under an etag, lists and deletes', async () => {
      const store = await open();
      const added = await store.certificates.add({
        name: 'root',
        pem: '-----BEGIN CERTIFICATE-----',
        thumbprint: 'ab',
      });
      expect(added).toMatchObject({ isVerified: false, thumbprint: 'AB' });
      await expect(
        store.certificates.add({ name: 'root', pem: 'x', thumbprint: 'cd' }),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      const verified = await store.certificates.setVerified('root', true, { ifMatch: added.etag });
      expect(verified.isVerified).toBe(true);
      await expect(store.certificates.delete('root', { ifMatch: added.etag })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      expect((await store.certificates.list()).map((c) => c.name)).toEqual(['root']);
      expect(await store.certificates.delete('root', { ifMatch: verified.etag })).toBe(true);
      expect(await store.certificates.get('root')).toBeUndefined();
    });
  });

  describe('hub settings', () => {
    it('starts with accept-all defaults and replaces the document under an etag', async () => {
      const store = await open();
      const initial = await store.hubSettings.get();
      expect(initial.ipFilter).toEqual({ defaultAction: 'accept', rules: [] });
      const next = {
        ipFilter: {
          defaultAction: 'reject' as const,
          rules: [{ name: 'lab', action: 'accept' as const, ipMask: '10.0.0.0/8' }],
        },
        diagnosticSettings: [{ name: 'siem', destination: 'syslog://10.0.0.5', categories: ['Connections'] }],
      };
      const saved = await store.hubSettings.put(next, { ifMatch: initial.etag });
      expect(await store.hubSettings.get()).toEqual(saved);
      expect(saved.ipFilter.rules[0]?.ipMask).toBe('10.0.0.0/8');
      await expect(store.hubSettings.put(next, { ifMatch: initial.etag })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
    });
  });

  describe('device security groups', () => {
    it('has a default group that cannot be deleted, and stores custom rules', async () => {
      const store = await open();
      expect((await store.securityGroups.list()).map((g) => g.name)).toEqual(['default']);
      await expect(store.securityGroups.delete('default')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
      const rules = [
        {
          kind: 'range' as const,
          ruleId: 'ActiveConnectionsNotInAllowedRange',
          enabled: true,
          min: 0,
          max: 5,
          window: 'PT15M',
        },
        { kind: 'allowlist' as const, ruleId: 'LocalUsersNotAllowed', enabled: false, values: ['root'] },
      ];
      const group = await store.securityGroups.put({ name: 'cameras', rules });
      expect((await store.securityGroups.get('cameras'))?.rules).toEqual(rules);
      await expect(
        store.securityGroups.put({ name: 'cameras', rules: [] }, { ifMatch: 'stale' }),
      ).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      await store.securityGroups.put({ name: 'cameras', rules: [] }, { ifMatch: group.etag });
      expect(await store.securityGroups.delete('cameras')).toBe(true);
    });
  });

  describe('threat-intel feeds', () => {
    it('stores feed definitions and the outcome of their loads', async () => {
      const store = await open();
      await store.threatIntelFeeds.put({
        name: 'firehol',
        source: { type: 'url', location: 'https://example.invalid/level1.netset' },
        format: { type: 'list' },
        internal: false,
        refreshIntervalMs: 3_600_000,
      });
      await store.threatIntelFeeds.recordLoad('firehol', { at: 42, entryCount: 4_500, setAside: 12 });
      expect(await store.threatIntelFeeds.get('firehol')).toMatchObject({
        format: { type: 'list' },
        lastLoadedAt: 42,
        lastEntryCount: 4_500,
        lastSetAside: 12,
        lastError: null,
      });
      await expect(store.threatIntelFeeds.recordLoad('nope', { at: 1 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await store.threatIntelFeeds.delete('firehol')).toBe(true);
      expect(await store.threatIntelFeeds.list()).toEqual([]);
    });
  });
}
