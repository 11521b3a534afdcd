import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Alert, type Store } from '@vigil/storage';
import { createAnalyticsRunner } from './runner.js';
import type { SecurityMessageDecoder } from './device-record.js';

const T = Date.UTC(2026, 10, 22, 12);
const refuseAll: SecurityMessageDecoder = () => ({
  ok: false,
  error: { code: 'MALFORMED_JSON', message: 'no' },
});

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-analytics-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const operation = (body: object) => ({
  kind: 'operation' as const,
  deviceId: '$hub',
  receivedAt: T,
  body: Buffer.from(JSON.stringify(body)),
});

describe('analytics runner over the ingest log', () => {
  it('raises hub alerts from operation records and commits its cursor', async () => {
    await store.ingestLog.append([
      operation({ operation: 'certificateAdded', at: T, outcome: 'success', details: { name: 'fleet-ca' } }),
      operation({
        operation: 'authenticationFailed',
        at: T,
        outcome: 'failure',
        deviceId: 'cam',
        reason: 'sasExpired',
        sourceAddress: '10.1.1.1',
      }),
      operation({ operation: 'connect', at: T, outcome: 'success', deviceId: 'cam' }),
    ]);
    const runner = createAnalyticsRunner({ store, decode: refuseAll });
    expect(await runner.processAvailable()).toBe(3);
    const alerts = await store.alerts.list();
    expect(alerts.map((a) => [a.typeId, a.deviceId]).sort()).toEqual([
      ['IoT_CertificateSuccessfullyAddedToHub', ''],
      ['IoT_Expired_SAS_Token', 'cam'],
    ]);
    expect((await store.ingestLog.cursor('analytics')).position).toBe(await store.ingestLog.head());
    expect(await runner.processAvailable()).toBe(0);
  });

  it('replaying the same segment twice creates no duplicate findings', async () => {
    await store.ingestLog.append([
      operation({
        operation: 'authenticationFailed',
        at: T,
        outcome: 'failure',
        deviceId: 'cam',
        reason: 'thumbprintMismatch',
      }),
      operation({
        operation: 'diagnosticSettingDeleted',
        at: T,
        outcome: 'success',
        details: { name: 'siem' },
      }),
    ]);
    await createAnalyticsRunner({ store, decode: refuseAll, group: 'first' }).processAvailable();
    const before = await store.alerts.list();
    // A second consumer group re-reads the very same records, as a crash before commit would.
    await createAnalyticsRunner({ store, decode: refuseAll, group: 'first-replay' }).processAvailable();
    const after = await store.alerts.list();
    expect(after).toHaveLength(before.length);
    expect(after.map((a) => a.occurrences)).toEqual(before.map((a) => a.occurrences));
  });

  it('keeps a last-message time for every device (telemetry too) and skips damaged operation records', async () => {
    await store.ingestLog.append([
      { kind: 'd2c', deviceId: 'sensor', receivedAt: T, body: Buffer.from('{"t":21}') },
      { kind: 'operation', deviceId: '$hub', receivedAt: T, body: Buffer.from('not json') },
      { kind: 'd2c', deviceId: 'sensor', receivedAt: T + 5_000, body: Buffer.from('{"t":22}') },
    ]);
    const runner = createAnalyticsRunner({ store, decode: refuseAll });
    expect(await runner.processAvailable()).toBe(3);
    expect((await store.deviceStates.get('sensor'))?.lastMessageAt).toBe(T + 5_000);
    expect(runner.stats().operations).toBe(0);
  });

  it('counts security messages it cannot decode as rejected, without stopping', async () => {
    await store.ingestLog.append([
      {
        kind: 'd2c',
        deviceId: 'gw',
        moduleId: 'azureiotsecurity',
        receivedAt: T,
        properties: { '$.ifid': 'urn:azureiot:Security:SecurityAgent:1' },
        body: Buffer.from('{broken'),
      },
    ]);
    const runner = createAnalyticsRunner({ store, decode: refuseAll });
    await runner.processAvailable();
    expect(runner.stats().rejectedMessages).toBe(1);
    expect((await store.deviceStates.get('gw'))?.lastMessageAt).toBe(T);
  });

  it('skips a record that keeps failing, reports it, and goes on with the ones behind it', async () => {
    const marker = { '$.ifid': 'urn:azureiot:Security:SecurityAgent:1' };
    await store.ingestLog.append([
      { kind: 'd2c', deviceId: 'bad', receivedAt: T, properties: marker, body: Buffer.from('boom') },
      { kind: 'd2c', deviceId: 'good', receivedAt: T + 1, body: Buffer.from('{}') },
    ]);
    const errors: unknown[] = [];
    const explode: SecurityMessageDecoder = () => {
      throw new Error('decoder bug');
    };
    const runner = createAnalyticsRunner({ store, decode: explode, onError: (error) => errors.push(error) });
    expect(await runner.processAvailable()).toBe(2);
    expect(runner.stats().failedRecords).toBe(1);
    expect(String(errors[0])).toContain('skipped ingest record');
    expect((await store.deviceStates.get('good'))?.lastMessageAt).toBe(T + 1);
  });

  it('writes a unit of records and its cursor together: a unit whose commit fails leaves nothing and tells no one', async () => {
    await store.ingestLog.append([
      operation({ operation: 'certificateAdded', at: T, outcome: 'success', details: { name: 'fleet-ca' } }),
      operation({
        operation: 'diagnosticSettingDeleted',
        at: T,
        outcome: 'success',
        details: { name: 'siem' },
      }),
    ]);
    // A stand-in for a failing COMMIT (disk full, the database gone): the real transaction runs the
    // runner's work, then fails instead of committing, so everything in it rolls back.
    const failingCommit: Store = new Proxy(store, {
      get: (target, property, receiver) =>
        property === 'transaction'
          ? (work: Parameters<Store['transaction']>[0]) =>
              target.transaction(async (tx) => {
                await work(tx);
                throw new Error('disk full');
              })
          : (Reflect.get(target, property, receiver) as unknown),
    });
    const told: Alert[] = [];
    const failing = createAnalyticsRunner({
      store: failingCommit,
      decode: refuseAll,
      onAlert: (alert) => told.push(alert),
    });
    await expect(failing.processAvailable()).rejects.toThrow('disk full');
    expect(await store.alerts.count()).toBe(0);
    expect((await store.ingestLog.cursor('analytics')).position).toBeNull();
    expect(told).toEqual([]);
    expect(failing.stats()).toMatchObject({ records: 0, alertsCreated: 0 });

    // Nothing was lost: the next run processes the same records, and hooks see committed alerts.
    const runner = createAnalyticsRunner({ store, decode: refuseAll, onAlert: (alert) => told.push(alert) });
    expect(await runner.processAvailable()).toBe(2);
    expect(told.map((a) => a.typeId).sort()).toEqual([
      'IoT_CertificateSuccessfullyAddedToHub',
      'IoT_DiagnosticSettingDeletedFromHub',
    ]);
    expect((await store.alerts.list()).map((a) => a.id).sort()).toEqual(told.map((a) => a.id).sort());
    expect((await store.ingestLog.cursor('analytics')).position).toBe(await store.ingestLog.head());
  });

  it('yields between units: other callers reach the database while a read is being processed', async () => {
    const ids = await store.ingestLog.append(
      Array.from({ length: 4 }, (_, i) => ({
        kind: 'd2c' as const,
        deviceId: `d${i}`,
        receivedAt: T + i,
        body: Buffer.from('{}'),
      })),
    );
    // A zero budget: one record per unit, so every record is committed before the next starts.
    const runner = createAnalyticsRunner({ store, decode: refuseAll, unitBudgetMs: 0 });
    const seen: (string | null)[] = [];
    let done = false;
    const processing = runner.processAvailable().finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push((await store.ingestLog.cursor('analytics')).position);
    }
    expect(await processing).toBe(4);
    // The API (here: a cursor read) ran between units and saw the cursor move one unit at a time.
    expect(seen.filter((position) => position !== null && position !== ids[3]).length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(ids[3]);
    for (let i = 0; i < 4; i += 1) expect((await store.deviceStates.get(`d${i}`))?.lastMessageAt).toBe(T + i);
  });

  it('takes a backlog in big units and a short log in small ones', async () => {
    await store.ingestLog.append(
      Array.from({ length: 6 }, (_, i) => ({
        kind: 'd2c' as const,
        deviceId: `d${i}`,
        receivedAt: T + i,
        body: Buffer.from('{}'),
      })),
    );
    // The first read comes back full (a backlog): one unit for its 4 records. The second is short:
    // with no budget, every record is a unit of its own.
    const runner = createAnalyticsRunner({
      store,
      decode: refuseAll,
      batchSize: 4,
      unitBudgetMs: 0,
      backlogUnitBudgetMs: 60_000,
    });
    expect(await runner.processAvailable()).toBe(6);
    expect(runner.stats()).toMatchObject({ records: 6, units: 3 });
    expect((await store.ingestLog.cursor('analytics')).position).toBe(await store.ingestLog.head());
  });
});
