import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.js';

const PRIMARY = 'cG9saWN5LXByaW1hcnkta2V5LWZvci10aGUtZGV2aWNlLXBvbGljeQ==';
const SECONDARY = 'cG9saWN5LXNlY29uZGFyeS1rZXktZm9yLXRoZS1kZXZpY2UtcG9saWN5';
const ROTATED = 'cm90YXRlZC1wcmltYXJ5LWtleS1mb3ItdGhlLWRldmljZS1wb2xpY3k=';

/** Hub-level shared access policies (schema version 2). */
export function accessPoliciesContract({ open, harness }: ContractContext): void {
  describe('shared access policies', () => {
    it('starts with no policy, creates one and reads it back with rights in canonical order', async () => {
      const store = await open();
      expect(store.schemaVersion).toBeGreaterThanOrEqual(2);
      expect(await store.accessPolicies.list()).toEqual([]);
      const created = await store.accessPolicies.create(
        {
          name: 'device',
          rights: ['DeviceConnect', 'RegistryRead', 'DeviceConnect'],
          primaryKey: PRIMARY,
          secondaryKey: SECONDARY,
        },
        5_000,
      );
      expect(created).toMatchObject({
        name: 'device',
        rights: ['RegistryRead', 'DeviceConnect'],
        primaryKey: PRIMARY,
        secondaryKey: SECONDARY,
        createdAt: 5_000,
        updatedAt: 5_000,
      });
      expect(await store.accessPolicies.get('device')).toEqual(created);
      expect(await store.accessPolicies.get('nope')).toBeUndefined();
      await expect(
        store.accessPolicies.create({
          name: 'device',
          rights: ['DeviceConnect'],
          primaryKey: PRIMARY,
          secondaryKey: PRIMARY,
        }),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    });

    it('refuses an unknown right, no rights, an empty name and an empty key, storing nothing', async () => {
      const store = await open();
      const base = {
        name: 'p',
        rights: ['DeviceConnect' as const],
        primaryKey: PRIMARY,
        secondaryKey: SECONDARY,
      };
      for (const bad of [
        { ...base, rights: ['DeviceConnect', 'RootAccess'] as never },
        { ...base, rights: [] },
        { ...base, name: '' },
        { ...base, name: 'x'.repeat(65) },
        { ...base, primaryKey: '' },
      ]) {
        await expect(store.accessPolicies.create(bad)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      }
      expect(await store.accessPolicies.list()).toEqual([]);
    });

    it('rotates a key under an etag, refuses a stale etag, and deletes', async () => {
      const store = await open();
      const created = await store.accessPolicies.create({
        name: 'device',
        rights: ['DeviceConnect'],
        primaryKey: PRIMARY,
        secondaryKey: SECONDARY,
      });
      const rotated = await store.accessPolicies.update(
        'device',
        { primaryKey: ROTATED },
        { ifMatch: created.etag, now: 9_000 },
      );
      expect(rotated).toMatchObject({ primaryKey: ROTATED, secondaryKey: SECONDARY, updatedAt: 9_000 });
      expect(rotated.etag).not.toBe(created.etag);
      await expect(
        store.accessPolicies.update('device', { rights: ['ServiceConnect'] }, { ifMatch: created.etag }),
      ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      await expect(store.accessPolicies.update('ghost', { primaryKey: ROTATED })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store.accessPolicies.delete('device', { ifMatch: created.etag })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      expect(await store.accessPolicies.delete('device', { ifMatch: rotated.etag })).toBe(true);
      expect(await store.accessPolicies.delete('device')).toBe(false);
      expect(await store.accessPolicies.get('device')).toBeUndefined();
    });

    it('lists in name order, page by page', async () => {
      const store = await open();
      for (const name of ['service', 'device', 'iothubowner']) {
        await store.accessPolicies.create({
          name,
          rights: ['ServiceConnect'],
          primaryKey: PRIMARY,
          secondaryKey: SECONDARY,
        });
      }
      const first = await store.accessPolicies.list({ limit: 2 });
      expect(first.map((p) => p.name)).toEqual(['device', 'iothubowner']);
      expect((await store.accessPolicies.list({ after: 'iothubowner' })).map((p) => p.name)).toEqual([
        'service',
      ]);
    });

    it('never stores a policy key in plain text, and reads it back after reopening', async () => {
      const store = await open();
      await store.accessPolicies.create({
        name: 'device',
        rights: ['DeviceConnect'],
        primaryKey: PRIMARY,
        secondaryKey: SECONDARY,
      });
      await store.accessPolicies.update('device', { secondaryKey: ROTATED });
      await store.close();
      const raw = await harness.rawDump();
      expect(raw).toContain('DeviceConnect');
      for (const key of [PRIMARY, SECONDARY, ROTATED]) {
        expect(raw).not.toContain(key);
        expect(raw).not.toContain(Buffer.from(key, 'base64').toString('latin1'));
      }
      const reopened = await open();
      expect(await reopened.accessPolicies.get('device')).toMatchObject({
        primaryKey: PRIMARY,
        secondaryKey: ROTATED,
      });
    });
  });
}
