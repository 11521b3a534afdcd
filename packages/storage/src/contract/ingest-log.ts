import { describe, expect, it } from 'vitest';
import type { IngestRecordInput } from '../ports/index.js';
import type { ContractContext } from './harness.js';

function record(n: number, receivedAt = 1_000 + n): IngestRecordInput {
  return {
    kind: n % 2 === 0 ? 'd2c' : 'operation',
    deviceId: `dev-${n % 3}`,
    moduleId: n % 2 === 0 ? 'azureiotsecurity' : null,
    receivedAt,
    properties: { n: String(n) },
    body: Buffer.from(`body-${n}`),
  };
}

/** The ingest log: durable appends, group commit, cursors, bounds. */
export function ingestLogContract({ open }: ContractContext): void {
  describe('ingest log', () => {
    it('appends and reads back records with increasing ids', async () => {
      const store = await open();
      expect(await store.ingestLog.head()).toBeNull();
      const ids = await store.ingestLog.append([record(0), record(1)]);
      const more = await store.ingestLog.append([record(2)]);
      const all = [...ids, ...more].map(Number);
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(new Set(all).size).toBe(3);
      const read = await store.ingestLog.read({ group: 'analytics', consumer: 'w1', limit: 10 });
      expect(read.map((r) => r.id)).toEqual([...ids, ...more]);
      expect(read[0]).toMatchObject({
        kind: 'd2c',
        deviceId: 'dev-0',
        moduleId: 'azureiotsecurity',
        receivedAt: 1_000,
        properties: { n: '0' },
      });
      expect(read[1]?.moduleId).toBeNull();
      expect(read[2]?.body.toString()).toBe('body-2');
      expect(await store.ingestLog.head()).toBe(more[0]);
    });

    it('group-commits concurrent appends: every one resolves with its own ids, in fewer transactions', async () => {
      const store = await open();
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) => store.ingestLog.append([record(i), record(i + 100)])),
      );
      const ids = results.flat().map(Number);
      expect(new Set(ids).size).toBe(128);
      for (const [i, pair] of results.entries()) {
        expect(Number(pair[1]) - Number(pair[0])).toBe(1);
        const [first] = await store.ingestLog.read({
          group: 'g',
          consumer: 'c',
          after: String(Number(pair[0]) - 1),
          limit: 1,
        });
        expect(first?.properties).toEqual({ n: String(i) });
      }
      const stats = store.ingestLog.stats();
      expect(stats.records).toBe(128);
      expect(stats.groups).toBeLessThan(64);
    });

    it('redelivers until a group commits its cursor, which never moves backwards', async () => {
      const store = await open();
      const ids = await store.ingestLog.append([record(0), record(1), record(2)]);
      const group = { group: 'analytics', consumer: 'w1' };
      expect((await store.ingestLog.read({ ...group, limit: 2 })).map((r) => r.id)).toEqual(ids.slice(0, 2));
      expect((await store.ingestLog.read({ ...group, limit: 2 })).map((r) => r.id)).toEqual(ids.slice(0, 2));
      await store.ingestLog.commit({ ...group, id: ids[1]! });
      await store.ingestLog.commit({ ...group, id: ids[0]! });
      expect(await store.ingestLog.cursor('analytics')).toEqual({
        group: 'analytics',
        position: ids[1],
        consumer: 'w1',
      });
      expect((await store.ingestLog.read({ ...group })).map((r) => r.id)).toEqual([ids[2]]);
      expect((await store.ingestLog.read({ group: 'other', consumer: 'x' })).length).toBe(3);
      await expect(
        store.ingestLog.commit({ ...group, id: String(Number(ids[2]) + 10) }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store.ingestLog.commit({ ...group, id: 'abc' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('keeps records, cursors and id order across close and reopen', async () => {
      const first = await open();
      const ids = await first.ingestLog.append([record(0), record(1)]);
      await first.ingestLog.commit({ group: 'g', consumer: 'c', id: ids[0]! });
      await first.close();
      const second = await open();
      expect((await second.ingestLog.read({ group: 'g', consumer: 'c' })).map((r) => r.id)).toEqual([ids[1]]);
      const [next] = await second.ingestLog.append([record(2)]);
      expect(Number(next)).toBeGreaterThan(Number(ids[1]));
    });

    it('refuses oversized records and batches whole, and wakes in-process listeners', async () => {
      const store = await open();
      let wakeUps = 0;
      const stop = store.ingestLog.onAppend(() => (wakeUps += 1));
      await expect(
        store.ingestLog.append([record(0), { ...record(1), body: Buffer.alloc(256 * 1024 + 1) }]),
      ).rejects.toMatchObject({
        code: 'LIMIT_EXCEEDED',
      });
      await expect(
        store.ingestLog.append(Array.from({ length: 1_001 }, (_, i) => record(i))),
      ).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      await expect(store.ingestLog.read({ group: 'g', consumer: 'c', limit: 5_000 })).rejects.toMatchObject({
        code: 'LIMIT_EXCEEDED',
      });
      expect(await store.ingestLog.head()).toBeNull();
      await store.ingestLog.append([record(0)]);
      stop();
      await store.ingestLog.append([record(1)]);
      expect(wakeUps).toBe(1);
    });

    it('finishes in-flight appends on close and refuses appends after it', async () => {
      const store = await open();
      const pending = store.ingestLog.append([record(0)]);
      await store.close();
      expect(await pending).toHaveLength(1);
      await expect(store.ingestLog.append([record(1)])).rejects.toMatchObject({ code: 'CLOSED' });
      const reopened = await open();
      expect(await reopened.ingestLog.head()).toBe((await pending)[0]);
    });
  });
}
