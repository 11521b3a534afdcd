import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '@vigil/storage';
import type { HubOperation } from '../contract/index.js';
import { createOperationsSink, HUB_SCOPE_DEVICE_ID } from './operations-sink.js';

let store: Store;
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-ops-'));
beforeAll(async () => {
  store = await openSqliteStore({ dataDir });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const op = (i: number, extra: Partial<HubOperation> = {}): HubOperation => ({
  operation: 'authenticationFailed',
  at: 1_700_000_000_000 + i,
  outcome: 'failure',
  deviceId: `dev-${i}`,
  sourceAddress: '10.0.0.1',
  reason: 'sasExpired',
  details: { i },
  ...extra,
});

describe('operations sink', () => {
  it('writes every recorded operation to the ingest log and the operations repository, in order, by flush', async () => {
    const sink = createOperationsSink({ store, batchSize: 7, flushIntervalMs: 10_000, maxQueue: 1000 });
    for (let i = 0; i < 20; i++) sink.record(op(i));
    sink.record(op(20, { operation: 'ipFilterChanged', deviceId: null, outcome: 'success', reason: null }));
    await sink.flush();
    const records = (await store.ingestLog.read({ group: 'g', consumer: 'c', limit: 100 })).filter(
      (r) => r.kind === 'operation',
    );
    expect(records).toHaveLength(21);
    expect(JSON.parse(records[3]!.body.toString())).toMatchObject({
      operation: 'authenticationFailed',
      deviceId: 'dev-3',
    });
    expect(records[20]!.deviceId).toBe(HUB_SCOPE_DEVICE_ID);
    const rows = await store.operations.list({ operation: 'authenticationFailed', limit: 100 });
    expect(rows).toHaveLength(20);
    expect(rows.at(-1)).toMatchObject({
      deviceId: 'dev-0',
      reason: 'sasExpired',
      sourceAddress: '10.0.0.1',
      details: { i: 0 },
    });
    expect(new Set(rows.map((r) => r.sourceId)).size).toBe(20);
    expect(sink.stats()).toEqual({ recorded: 21, dropped: 0, failed: 0 });
    await sink.close();
  });

  it('never blocks: past maxQueue it drops and counts, and record after close is dropped too', async () => {
    const sink = createOperationsSink({ store, batchSize: 1000, flushIntervalMs: 10_000, maxQueue: 5 });
    for (let i = 0; i < 8; i++) sink.record(op(100 + i));
    expect(sink.stats().dropped).toBe(3);
    await sink.close();
    expect(sink.stats().recorded).toBe(5);
    sink.record(op(200));
    expect(sink.stats().dropped).toBe(4);
  });

  it('writes a partial batch on its own after the flush interval', async () => {
    const sink = createOperationsSink({ store, batchSize: 100, flushIntervalMs: 5, maxQueue: 100 });
    sink.record(op(300, { deviceId: 'timer-dev' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.operations.count({ deviceId: 'timer-dev' })).toBe(1);
    await sink.close();
  });
});
