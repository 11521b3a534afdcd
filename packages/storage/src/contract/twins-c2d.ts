import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.js';

const DEV = { deviceId: 'dev-1', moduleId: null };
const SEC = { deviceId: 'dev-1', moduleId: 'azureiotsecurity' };

/** Twins with versions, C2D queues. */
export function twinsAndQueuesContract({ open }: ContractContext): void {
  describe('twins', () => {
    it('merges patches (null removes) and bumps the right $version', async () => {
      const store = await open();
      const first = await store.twins.patchDesired(SEC, {
        azureiotsecurity: { eventPriorityProcessCreate: 'High', x: 1 },
      });
      expect(first).toMatchObject({ desiredVersion: 2, reportedVersion: 1 });
      const second = await store.twins.patchDesired(
        SEC,
        { azureiotsecurity: { x: null, y: 'z' } },
        { ifMatch: first.etag },
      );
      expect(second.desired).toEqual({ azureiotsecurity: { eventPriorityProcessCreate: 'High', y: 'z' } });
      expect(second.desiredVersion).toBe(3);
      const reported = await store.twins.patchReported(SEC, { lastApplied: 3 });
      expect(reported).toMatchObject({ desiredVersion: 3, reportedVersion: 2, reported: { lastApplied: 3 } });
      expect(reported.version).toBeGreaterThan(second.version);
      expect(await store.twins.get(DEV)).toBeUndefined();
    });

    it('refuses a desired patch with a stale etag and changes nothing', async () => {
      const store = await open();
      const first = await store.twins.patchDesired(DEV, { a: 1 });
      await store.twins.patchDesired(DEV, { a: 2 });
      await expect(store.twins.patchDesired(DEV, { a: 3 }, { ifMatch: first.etag })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      expect((await store.twins.get(DEV))?.desired).toEqual({ a: 2 });
    });

    it('keeps concurrent reported patches (none lost)', async () => {
      const store = await open();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.twins.patchReported(DEV, { [`k${i}`]: i })),
      );
      const twin = await store.twins.get(DEV);
      expect(Object.keys(twin?.reported ?? {}).length).toBe(10);
      expect(twin?.reportedVersion).toBe(11);
    });

    it('bounds a twin section and finds twins by tag', async () => {
      const store = await open();
      await expect(store.twins.patchReported(DEV, { big: 'x'.repeat(40_000) })).rejects.toMatchObject({
        code: 'LIMIT_EXCEEDED',
      });
      await store.twins.patchTags(SEC, { SecurityGroup: 'cameras' });
      await store.twins.patchTags(
        { deviceId: 'dev-2', moduleId: 'azureiotsecurity' },
        { SecurityGroup: 'default' },
      );
      expect((await store.twins.findByTag('SecurityGroup', 'cameras')).map((t) => t.deviceId)).toEqual([
        'dev-1',
      ]);
    });
  });

  describe('C2D queues', () => {
    const body = Buffer.from('reboot');

    it('delivers in order, settles, and refuses beyond max depth', async () => {
      const store = await open();
      const a = await store.c2d.enqueue(
        { deviceId: 'd', body, messageId: 'm1', properties: { p: '1' } },
        { maxDepth: 2, now: 1 },
      );
      const b = await store.c2d.enqueue({ deviceId: 'd', body }, { maxDepth: 2, now: 2 });
      await expect(store.c2d.enqueue({ deviceId: 'd', body }, { maxDepth: 2, now: 3 })).rejects.toMatchObject(
        { code: 'QUEUE_FULL' },
      );
      const pending = await store.c2d.pending('d', { now: 4 });
      expect(pending.map((m) => m.id)).toEqual([a.id, b.id]);
      expect(pending[0]).toMatchObject({ messageId: 'm1', properties: { p: '1' }, state: 'queued' });
      expect(pending[0]?.body.toString()).toBe('reboot');
      await store.c2d.recordAttempt(a.id);
      expect(await store.c2d.settle(a.id, 'delivered', 5)).toBe(true);
      expect(await store.c2d.settle(a.id, 'rejected', 6)).toBe(false);
      expect(await store.c2d.settle(b.id, 'rejected', 6)).toBe(true);
      expect(await store.c2d.get(a.id)).toMatchObject({ state: 'delivered', deliveryCount: 1 });
      expect(await store.c2d.pending('d', { now: 7 })).toEqual([]);
    });

    it('expires by TTL and purges a device queue', async () => {
      const store = await open();
      const old = await store.c2d.enqueue({ deviceId: 'd', body }, { ttlMs: 10, now: 100 });
      await store.c2d.enqueue({ deviceId: 'd', body }, { ttlMs: 1_000, now: 100 });
      await store.c2d.enqueue({ deviceId: 'other', body }, { now: 100 });
      expect((await store.c2d.pending('d', { now: 200 })).length).toBe(1);
      expect((await store.c2d.get(old.id))?.state).toBe('expired');
      expect(await store.c2d.purge('d', 300)).toBe(1);
      expect((await store.c2d.list('d', { states: ['purged'] })).length).toBe(1);
      expect((await store.c2d.list('d')).map((m) => m.state).sort()).toEqual(['expired', 'purged']);
      expect((await store.c2d.pending('other', { now: 300 })).length).toBe(1);
    });

    it('refuses an oversized body', async () => {
      const store = await open();
      await expect(store.c2d.enqueue({ deviceId: 'd', body: Buffer.alloc(70_000) })).rejects.toMatchObject({
        code: 'LIMIT_EXCEEDED',
      });
    });
  });
}
