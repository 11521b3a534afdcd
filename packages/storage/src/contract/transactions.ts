import { describe, expect, it } from 'vitest';
import type { AlertOccurrence, StoredSecurityEvent, StoreTransaction } from '../ports/index.js';
import type { ContractContext } from './harness.js';

const T = 1_700_000_000_000;

function event(eventId: string, ingestId: string): StoredSecurityEvent {
  return {
    eventId,
    deviceId: 'cam',
    moduleId: 'azureiotsecurity',
    name: 'ProcessCreate',
    category: 'Triggered',
    eventType: 'Security',
    at: T,
    receivedAt: T,
    payload: { Executable: '/usr/bin/xmrig' },
    ingestId,
  };
}

function occurrence(occurrenceId: string): AlertOccurrence {
  return {
    typeId: 'Vigil_CryptoMiner',
    deviceId: 'cam',
    key: 'xmrig',
    occurrenceId,
    severity: 'high',
    title: 'Crypto miner',
    at: T,
    evidence: { occurrenceId },
  };
}

/** What an analytics batch writes for one record: its events, an alert, the device's state. */
async function absorb(tx: StoreTransaction, ingestId: string): Promise<void> {
  await tx.securityEvents.record([event(`cam/${ingestId}`, ingestId)]);
  await tx.alerts.raise(occurrence(`${ingestId}:0`));
  await tx.deviceStates.put({
    deviceId: 'cam',
    securityGroup: 'default',
    lastMessageAt: T,
    state: { lastIngestId: ingestId },
  });
}

const body = (n: number) => ({
  kind: 'd2c' as const,
  deviceId: 'cam',
  receivedAt: T,
  body: Buffer.from(`m${n}`),
});
const group = { group: 'analytics', consumer: 'a1' };

/** Units of work: many repository writes and a cursor commit in one transaction. */
export function transactionsContract({ open }: ContractContext): void {
  describe('units of work (store.transaction)', () => {
    it('commits every write and the cursor together, and reads inside see the unit’s own writes', async () => {
      const store = await open();
      const ids = await store.ingestLog.append([body(1), body(2)]);
      const seen = await store.transaction(async (tx) => {
        const records = await tx.ingestLog.read({ ...group, limit: 10 });
        for (const record of records) await absorb(tx, record.id);
        await tx.ingestLog.commit({ ...group, id: records.at(-1)!.id });
        return {
          state: (await tx.deviceStates.get('cam'))?.state,
          cursor: (await tx.ingestLog.cursor('analytics')).position,
        };
      });
      expect(seen).toEqual({ state: { lastIngestId: ids[1] }, cursor: ids[1] });
      expect((await store.ingestLog.cursor('analytics')).position).toBe(ids[1]);
      expect(await store.securityEvents.count({ deviceId: 'cam' })).toBe(2);
      const alerts = await store.alerts.list({ deviceId: 'cam' });
      expect(alerts.map((a) => a.occurrences)).toEqual([2]);
      expect((await store.deviceStates.get('cam'))?.version).toBe(2);
    });

    it('commits nothing, and leaves the cursor where it was, when the unit fails in the middle', async () => {
      const store = await open();
      const [first, second] = await store.ingestLog.append([body(1), body(2)]);
      await store.ingestLog.commit({ ...group, id: first! });
      const failure = new Error('detector bug');
      await expect(
        store.transaction(async (tx) => {
          await absorb(tx, second!);
          await tx.ingestLog.commit({ ...group, id: second! });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect((await store.ingestLog.cursor('analytics')).position).toBe(first);
      expect(await store.securityEvents.count({ deviceId: 'cam' })).toBe(0);
      expect(await store.alerts.count({ deviceId: 'cam' })).toBe(0);
      expect(await store.deviceStates.get('cam')).toBeUndefined();
      // The records are delivered again, as after a crash before the commit.
      expect((await store.ingestLog.read(group)).map((r) => r.id)).toEqual([second]);
    });

    it('stays usable after a call fails, and a nested unit contains an error the database itself raised', async () => {
      const store = await open();
      const [id] = await store.ingestLog.append([body(1)]);
      const certificate = { name: 'fleet-ca', pem: 'PEM', thumbprint: 'ab'.repeat(20) };
      await store.certificates.add(certificate);
      await store.transaction(async (tx) => {
        await absorb(tx, id!);
        // A version conflict is refused by the repository (its savepoint rolls back); the unit goes on.
        await expect(
          tx.deviceStates.put(
            { deviceId: 'cam', securityGroup: 'x', lastMessageAt: 0, state: {} },
            { expectedVersion: 7 },
          ),
        ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
        // A duplicate key is the database's own error: PostgreSQL aborts the transaction at a failed
        // statement, and only the nested unit's savepoint keeps the rest of the unit alive.
        await expect(tx.transaction((inner) => inner.certificates.add(certificate))).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
        });
        await tx.ingestLog.commit({ ...group, id: id! });
      });
      expect((await store.deviceStates.get('cam'))?.securityGroup).toBe('default');
      expect(await store.securityEvents.count({ deviceId: 'cam' })).toBe(1);
      expect((await store.ingestLog.cursor('analytics')).position).toBe(id);
    });

    it('rolls back a failed nested unit only, and nested siblings started together do not undo each other', async () => {
      const store = await open();
      const [one, two, three] = await store.ingestLog.append([body(1), body(2), body(3)]);
      await store.transaction(async (tx) => {
        await tx.transaction((inner) => absorb(inner, one!));
        await expect(
          tx.transaction(async (inner) => {
            await absorb(inner, two!);
            throw new Error('this record fails');
          }),
        ).rejects.toThrow('this record fails');
        const results = await Promise.allSettled([
          tx.transaction(async (inner) => {
            await inner.securityEvents.record([event('cam/sibling-a', three!)]);
            throw new Error('sibling fails');
          }),
          tx.transaction((inner) => inner.securityEvents.record([event('cam/sibling-b', three!)])),
        ]);
        expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
        await tx.ingestLog.commit({ ...group, id: three! });
      });
      const events = await store.securityEvents.list({ deviceId: 'cam', limit: 10 });
      expect(events.map((e) => e.eventId).sort()).toEqual([`cam/${one}`, 'cam/sibling-b']);
      expect((await store.alerts.list({ deviceId: 'cam' })).map((a) => a.occurrences)).toEqual([1]);
      expect((await store.deviceStates.get('cam'))?.state).toEqual({ lastIngestId: one });
    });

    it('replaying a unit changes nothing twice (events by id, alert occurrences by key)', async () => {
      const store = await open();
      const [id] = await store.ingestLog.append([body(1)]);
      for (const consumer of ['first', 'replay']) {
        await store.transaction(async (tx) => {
          await tx.securityEvents.record([event(`cam/${id}`, id!)]);
          await tx.alerts.raise(occurrence(`${id}:0`));
          await tx.ingestLog.commit({ group: consumer, consumer, id: id! });
        });
      }
      expect(await store.securityEvents.count({ deviceId: 'cam' })).toBe(1);
      expect((await store.alerts.list({ deviceId: 'cam' })).map((a) => a.occurrences)).toEqual([1]);
    });

    it('commits a non-durable unit (derived data) all or nothing, kept across close and reopen', async () => {
      const first = await open();
      const [one, two] = await first.ingestLog.append([body(1), body(2)]);
      await first.transaction(
        async (tx) => {
          await absorb(tx, one!);
          await tx.ingestLog.commit({ ...group, id: one! });
        },
        { durable: false },
      );
      await expect(
        first.transaction(
          async (tx) => {
            await absorb(tx, two!);
            await tx.ingestLog.commit({ ...group, id: two! });
            throw new Error('rolled back');
          },
          { durable: false },
        ),
      ).rejects.toThrow('rolled back');
      await first.close();
      const second = await open();
      expect((await second.ingestLog.cursor('analytics')).position).toBe(one);
      expect(await second.securityEvents.count({ deviceId: 'cam' })).toBe(1);
      // Appends after a non-durable unit are as durable as ever.
      const [three] = await second.ingestLog.append([body(3)]);
      expect(await second.ingestLog.head()).toBe(three);
    });

    it('refuses its handle once the unit has ended, and appends made meanwhile are still durable', async () => {
      const store = await open();
      let leaked: StoreTransaction | undefined;
      let pending: Promise<string[]> | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
        // Not awaited: on SQLite the append waits for this unit's connection, then commits on its own.
        pending = store.ingestLog.append([body(1)]);
        await tx.securityEvents.record([event('cam/inside', 'x')]);
      });
      await expect(leaked!.securityEvents.record([event('cam/late', 'x')])).rejects.toMatchObject({
        code: 'TRANSACTION_ENDED',
      });
      await expect(leaked!.transaction(() => Promise.resolve(1))).rejects.toMatchObject({
        code: 'TRANSACTION_ENDED',
      });
      const [appended] = await pending!;
      expect(await store.ingestLog.head()).toBe(appended);
      const events = await store.securityEvents.list({ deviceId: 'cam' });
      expect(events.map((e) => e.eventId)).toEqual(['cam/inside']);
    });
  });
}
