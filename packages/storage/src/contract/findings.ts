import { describe, expect, it } from 'vitest';
import type { AlertOccurrence, StoredSecurityEvent } from '../ports/index.js';
import type { ContractContext } from './harness.js';

function event(eventId: string, at: number, name = 'ProcessCreate'): StoredSecurityEvent {
  return {
    eventId,
    deviceId: 'dev-1',
    moduleId: 'azureiotsecurity',
    name,
    category: 'Triggered',
    eventType: 'Security',
    at,
    receivedAt: at + 5,
    payload: { Executable: '/bin/sh', CommandLine: 'sh -i' },
    ingestId: null,
  };
}

function occurrence(occurrenceId: string, at: number): AlertOccurrence {
  return {
    typeId: 'IoT_SasTokenExpired',
    deviceId: 'dev-1',
    key: 'sas',
    occurrenceId,
    severity: 'medium',
    title: 'Expired SAS token',
    at,
    evidence: { op: occurrenceId },
    remediation: ['Rotate the device key'],
    dedupWindowMs: 1_000,
  };
}

/** Operations log, security events, device state, alerts and recommendations. */
export function findingsContract({ open }: ContractContext): void {
  describe('operations log', () => {
    it('records idempotently by source id, lists newest first and counts by filter', async () => {
      const store = await open();
      const ops = [
        {
          sourceId: 'i-1',
          at: 10,
          operation: 'connect',
          deviceId: 'a',
          outcome: 'success' as const,
          sourceAddress: '10.0.0.1',
        },
        {
          sourceId: 'i-2',
          at: 20,
          operation: 'authFailure',
          deviceId: 'a',
          outcome: 'failure' as const,
          reason: 'expiredSas',
        },
        {
          sourceId: 'i-3',
          at: 30,
          operation: 'connect',
          deviceId: 'b',
          outcome: 'success' as const,
          details: { protocol: 'mqtt' },
        },
      ];
      expect(await store.operations.record(ops)).toBe(3);
      expect(await store.operations.record(ops)).toBe(0);
      const listed = await store.operations.list();
      expect(listed.map((o) => o.sourceId)).toEqual(['i-3', 'i-2', 'i-1']);
      expect(listed[0]?.details).toEqual({ protocol: 'mqtt' });
      expect(await store.operations.count({ operation: 'connect', since: 10, until: 30 })).toBe(1);
      expect(await store.operations.count({ deviceId: 'a', outcome: 'failure' })).toBe(1);
      expect(
        (await store.operations.list({ before: listed[1]?.id, limit: 5 })).map((o) => o.sourceId),
      ).toEqual(['i-1']);
    });
  });

  describe('security events', () => {
    it('records idempotently by event id and lists by device, name and time', async () => {
      const store = await open();
      expect(
        await store.securityEvents.record([event('e1', 100), event('e2', 200, 'Login'), event('e3', 300)]),
      ).toBe(3);
      expect(await store.securityEvents.record([event('e1', 100), event('e4', 400)])).toBe(1);
      const listed = await store.securityEvents.list({
        deviceId: 'dev-1',
        name: 'ProcessCreate',
        since: 100,
        until: 400,
      });
      expect(listed.map((e) => e.eventId)).toEqual(['e3', 'e1']);
      expect(listed[0]?.payload).toEqual({ Executable: '/bin/sh', CommandLine: 'sh -i' });
      expect(await store.securityEvents.list({ deviceId: 'other' })).toEqual([]);
    });

    it('pages with an offset, sorts by device time or receipt, and counts every match', async () => {
      const store = await open();
      // e3 happened first on the device but reached the hub last.
      await store.securityEvents.record([
        event('e1', 200),
        event('e2', 300),
        { ...event('e3', 100), receivedAt: 900 },
      ]);
      const ids = (events: readonly StoredSecurityEvent[]) => events.map((e) => e.eventId);
      expect(ids(await store.securityEvents.list({ deviceId: 'dev-1', limit: 2 }))).toEqual(['e2', 'e1']);
      expect(ids(await store.securityEvents.list({ deviceId: 'dev-1', limit: 2, offset: 2 }))).toEqual([
        'e3',
      ]);
      expect(await store.securityEvents.list({ deviceId: 'dev-1', offset: 3 })).toEqual([]);
      expect(ids(await store.securityEvents.list({ deviceId: 'dev-1', sort: 'received' }))).toEqual([
        'e3',
        'e2',
        'e1',
      ]);
      expect(await store.securityEvents.count({ deviceId: 'dev-1' })).toBe(3);
      expect(await store.securityEvents.count({ deviceId: 'dev-1', since: 200, until: 300 })).toBe(1);
      expect(await store.securityEvents.count({ deviceId: 'other' })).toBe(0);
    });
  });

  describe('device security state', () => {
    it('writes with an expected version and lists silent devices', async () => {
      const store = await open();
      const first = await store.deviceStates.put(
        { deviceId: 'a', securityGroup: 'default', lastMessageAt: 100, state: { openPorts: [22] } },
        { expectedVersion: 0 },
      );
      expect(first.version).toBe(1);
      await expect(
        store.deviceStates.put(
          { deviceId: 'a', securityGroup: 'default', lastMessageAt: 200, state: {} },
          { expectedVersion: 0 },
        ),
      ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      await store.deviceStates.put({ deviceId: 'b', securityGroup: 'x', lastMessageAt: 900, state: {} });
      expect(await store.deviceStates.get('a')).toMatchObject({ state: { openPorts: [22] }, version: 1 });
      expect((await store.deviceStates.listSilent(500)).map((s) => s.deviceId)).toEqual(['a']);
    });

    it('pages silent devices with the after cursor, ties on the same time ordered by device id', async () => {
      const store = await open();
      for (const [deviceId, at] of [
        ['d', 300],
        ['b', 200],
        ['c', 200],
        ['a', 100],
        ['e', 900],
      ] as const)
        await store.deviceStates.put({ deviceId, securityGroup: 'g', lastMessageAt: at, state: {} });
      const seen: string[] = [];
      let after: { deviceId: string; lastMessageAt: number } | undefined;
      for (let page = 0; page < 10; page += 1) {
        const rows = await store.deviceStates.listSilent(500, { limit: 2, ...(after ? { after } : {}) });
        seen.push(...rows.map((row) => row.deviceId));
        const last = rows.at(-1);
        if (last === undefined) break;
        after = { deviceId: last.deviceId, lastMessageAt: last.lastMessageAt! };
      }
      expect(seen).toEqual(['a', 'b', 'c', 'd']);
    });
  });

  describe('alerts', () => {
    it('deduplicates within the window, is idempotent by occurrence, and raises anew after it', async () => {
      const store = await open();
      const created = await store.alerts.raise(occurrence('op-1', 1_000));
      expect(created.result).toBe('created');
      const merged = await store.alerts.raise(occurrence('op-2', 1_500));
      expect(merged).toMatchObject({
        result: 'merged',
        alert: { id: created.alert.id, occurrences: 2, lastSeenAt: 1_500 },
      });
      expect(merged.alert.evidence).toEqual([{ op: 'op-1' }, { op: 'op-2' }]);
      const replay = await store.alerts.raise(occurrence('op-2', 1_500));
      expect(replay).toMatchObject({ result: 'duplicate', alert: { occurrences: 2 } });
      const later = await store.alerts.raise(occurrence('op-3', 10_000));
      expect(later.result).toBe('created');
      expect(later.alert.id).not.toBe(created.alert.id);
      expect((await store.alerts.list({ deviceId: 'dev-1' })).length).toBe(2);
    });

    it('dismisses and resolves with history; a closed alert is not reopened by a new occurrence', async () => {
      const store = await open();
      const { alert } = await store.alerts.raise(occurrence('op-1', 1_000));
      const dismissed = await store.alerts.setStatus(alert.id, 'dismissed', {
        at: 1_100,
        actor: 'admin',
        note: 'lab device',
      });
      expect(dismissed.status).toBe('dismissed');
      await expect(store.alerts.setStatus(alert.id, 'resolved')).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      await expect(store.alerts.setStatus(999_999, 'resolved')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const next = await store.alerts.raise(occurrence('op-2', 1_200));
      expect(next.result).toBe('created');
      expect(await store.alerts.history(alert.id)).toEqual([
        { at: 1_000, action: 'raised', actor: null, note: null },
        { at: 1_100, action: 'dismissed', actor: 'admin', note: 'lab device' },
      ]);
      expect((await store.alerts.list({ status: 'active' })).map((a) => a.id)).toEqual([next.alert.id]);
    });

    it('folds concurrent occurrences of the same alert into one', async () => {
      const store = await open();
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.alerts.raise(occurrence(`c-${i}`, 5_000 + i))),
      );
      const alerts = await store.alerts.list();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.occurrences).toBe(8);
    });

    it('filters by severity, sorts, pages with an offset and counts', async () => {
      const store = await open();
      const raise = async (typeId: string, severity: 'low' | 'medium' | 'high', at: number, times = 1) => {
        for (let i = 0; i < times; i += 1) {
          await store.alerts.raise({
            ...occurrence(`${typeId}-${i}`, at + i),
            typeId,
            key: typeId,
            severity,
          });
        }
      };
      await raise('A', 'low', 1_000, 3);
      await raise('B', 'high', 2_000);
      await raise('C', 'medium', 3_000, 2);
      expect((await store.alerts.list()).map((a) => a.typeId)).toEqual(['C', 'B', 'A']);
      expect((await store.alerts.list({ sort: 'severity' })).map((a) => a.typeId)).toEqual(['B', 'C', 'A']);
      expect((await store.alerts.list({ sort: 'occurrences' })).map((a) => a.typeId)).toEqual([
        'A',
        'C',
        'B',
      ]);
      expect(
        (await store.alerts.list({ sort: 'firstSeen', limit: 1, offset: 1 })).map((a) => a.typeId),
      ).toEqual(['B']);
      expect((await store.alerts.list({ severity: 'low' })).map((a) => a.typeId)).toEqual(['A']);
      expect(await store.alerts.count()).toBe(3);
      expect(await store.alerts.count({ severity: 'medium', status: 'active' })).toBe(1);
      expect(await store.alerts.count({ since: 2_000 })).toBe(2);
    });

    it('tallies every match by device and severity and buckets first sightings, without a row limit', async () => {
      const store = await open();
      // More alerts than any list returns at once (1,000): an aggregate must still count them all.
      const total = 1_005;
      for (let i = 0; i < total; i += 1) {
        await store.alerts.raise({
          ...occurrence(`bulk-${i}`, 10_000 + i),
          typeId: `T${i}`,
          key: `k${i}`,
          deviceId: i % 5 === 0 ? 'dev-b' : 'dev-a',
          severity: i % 5 === 0 ? 'high' : 'low',
        });
      }
      await store.alerts.setStatus(1, 'resolved');
      expect(await store.alerts.tally({ status: 'active' })).toEqual([
        { deviceId: 'dev-a', severity: 'low', count: 804 },
        { deviceId: 'dev-b', severity: 'high', count: 200 },
      ]);
      expect(await store.alerts.tally({ deviceId: 'nobody' })).toEqual([]);
      // Windows of 500 ms from 10,000: 500 + 500 + 5, split by severity; outside the range nothing.
      const histogram = await store.alerts.histogram({ from: 10_000, bucketMs: 500, buckets: 3 });
      expect(histogram).toEqual([
        { bucket: 0, severity: 'high', count: 100 },
        { bucket: 0, severity: 'low', count: 400 },
        { bucket: 1, severity: 'high', count: 100 },
        { bucket: 1, severity: 'low', count: 400 },
        { bucket: 2, severity: 'high', count: 1 },
        { bucket: 2, severity: 'low', count: 4 },
      ]);
      expect(await store.alerts.histogram({ from: 20_000, bucketMs: 500, buckets: 3 })).toEqual([]);
      await expect(store.alerts.histogram({ from: 0, bucketMs: 0, buckets: 3 })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    });

    it('keeps only the newest evidence items', async () => {
      const store = await open();
      for (let i = 0; i < 25; i++)
        await store.alerts.raise({ ...occurrence(`op-${i}`, 1_000 + i), dedupWindowMs: 60_000 });
      const [alert] = await store.alerts.list();
      expect(alert?.occurrences).toBe(25);
      expect(alert?.evidence.length).toBe(20);
      expect(alert?.evidence.at(-1)).toEqual({ op: 'op-24' });
    });
  });

  describe('recommendations', () => {
    const key = { typeId: 'IoT_IPFilter_DenyAll', deviceId: '', key: 'hub' };

    it('raises once, resolves, and raises again when the condition returns', async () => {
      const store = await open();
      const raised = await store.recommendations.raise({
        ...key,
        severity: 'medium',
        at: 100,
        details: { defaultAction: 'accept' },
      });
      const again = await store.recommendations.raise({ ...key, severity: 'medium', at: 200 });
      expect(again).toMatchObject({ id: raised.id, state: 'raised', raisedAt: 100 });
      expect(await store.recommendations.resolve(key, 300)).toBe(true);
      expect(await store.recommendations.resolve(key, 301)).toBe(false);
      expect(await store.recommendations.get(key)).toMatchObject({ state: 'resolved', resolvedAt: 300 });
      const reraised = await store.recommendations.raise({ ...key, severity: 'high', at: 400 });
      expect(reraised).toMatchObject({ state: 'raised', raisedAt: 400, resolvedAt: null, severity: 'high' });
      expect((await store.recommendations.list({ state: 'raised' })).length).toBe(1);
    });

    it('pages with an offset, sorts, counts and tallies by device and severity', async () => {
      const store = await open();
      const raise = (typeId: string, deviceId: string, severity: 'low' | 'medium' | 'high', at: number) =>
        store.recommendations.raise({ typeId, deviceId, key: typeId, severity, at });
      await raise('R1', 'dev-1', 'low', 100);
      await raise('R2', 'dev-1', 'high', 200);
      await raise('R3', 'dev-2', 'medium', 300);
      // Updated last, raised first: the default order and the raised order differ.
      await raise('R1', 'dev-1', 'low', 400);
      const types = (list: readonly { typeId: string }[]) => list.map((r) => r.typeId);
      expect(types(await store.recommendations.list())).toEqual(['R1', 'R3', 'R2']);
      expect(types(await store.recommendations.list({ sort: 'raised' }))).toEqual(['R3', 'R2', 'R1']);
      expect(types(await store.recommendations.list({ sort: 'severity' }))).toEqual(['R2', 'R3', 'R1']);
      expect(types(await store.recommendations.list({ limit: 2, offset: 2 }))).toEqual(['R2']);
      expect(await store.recommendations.list({ offset: 3 })).toEqual([]);
      await store.recommendations.resolve({ typeId: 'R3', deviceId: 'dev-2', key: 'R3' }, 500);
      expect(await store.recommendations.count()).toBe(3);
      expect(await store.recommendations.count({ state: 'raised', deviceId: 'dev-1' })).toBe(2);
      expect(await store.recommendations.tally({ state: 'raised' })).toEqual([
        { deviceId: 'dev-1', severity: 'high', count: 1 },
        { deviceId: 'dev-1', severity: 'low', count: 1 },
      ]);
    });

    it('filters by type and pages in id order with afterId, seeing every row once', async () => {
      const store = await open();
      for (let i = 0; i < 5; i += 1)
        await store.recommendations.raise({
          typeId: i % 2 === 0 ? 'IoT_SharedCredentials' : 'IoT_OpenPorts',
          deviceId: `dev-${i}`,
          key: '',
          severity: 'medium',
          at: 1_000 - i,
        });
      const first = await store.recommendations.list({
        typeId: 'IoT_SharedCredentials',
        afterId: 0,
        limit: 2,
      });
      const rest = await store.recommendations.list({
        typeId: 'IoT_SharedCredentials',
        afterId: first.at(-1)!.id,
        limit: 2,
      });
      expect([...first, ...rest].map((r) => r.deviceId)).toEqual(['dev-0', 'dev-2', 'dev-4']);
      expect((await store.recommendations.list({ typeId: 'IoT_OpenPorts' })).map((r) => r.deviceId)).toEqual([
        'dev-1',
        'dev-3',
      ]);
    });
  });
}
