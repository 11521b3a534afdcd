import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type ActivityUpdate, type Store } from '@vigil/storage';
import { createActivityWriter } from './activity-writer.js';

let dataDir: string;
let store: Store;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-activity-'));
  store = await openSqliteStore({ dataDir });
  for (const deviceId of ['a', 'b', 'c'])
    await store.identities.create({ deviceId, moduleId: null, auth: { type: 'certificateAuthority' } });
});
afterEach(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const key = (deviceId: string) => ({ deviceId, moduleId: null });

/** The store's identities, with every batch the writer hands them recorded. */
function recordingIdentities() {
  const batches: ActivityUpdate[][] = [];
  return {
    batches,
    identities: {
      recordActivities: async (updates: readonly ActivityUpdate[]) => {
        batches.push([...updates]);
        await store.identities.recordActivities(updates);
      },
    },
  };
}

describe('the activity writer', () => {
  it('coalesces per identity and writes one batch: the latest state, when it changed, and the latest activity', async () => {
    const { batches, identities } = recordingIdentities();
    const warnings: string[] = [];
    // A timer far away: only flush() writes in this test.
    const writer = createActivityWriter({
      identities,
      flushMs: 60_000,
      batchSize: 100,
      maxPending: 100,
      warn: (m) => warnings.push(m),
    });
    writer.record(key('a'), 1_000, 'connected');
    writer.record(key('a'), 2_000);
    writer.record(key('b'), 1_500, 'connected');
    writer.record(key('b'), 2_500, 'disconnected');
    expect(writer.pending(key('a'))).toEqual({
      identity: key('a'),
      lastActivityAt: 2_000,
      connectionState: 'connected',
      connectionStateAt: 1_000,
    });
    // Not written yet: the registry still has the old state.
    expect((await store.identities.get(key('a')))?.connectionState).toBe('disconnected');
    await writer.flush();
    expect(batches).toHaveLength(1);
    expect(await store.identities.get(key('a'))).toMatchObject({
      connectionState: 'connected',
      connectionStateUpdatedAt: 1_000,
      lastActivityAt: 2_000,
    });
    expect(await store.identities.get(key('b'))).toMatchObject({
      connectionState: 'disconnected',
      connectionStateUpdatedAt: 2_500,
      lastActivityAt: 2_500,
    });
    expect(writer.pending(key('a'))).toBeUndefined();
    expect(warnings).toEqual([]);
    await writer.close();
  });

  it('writes a full batch at once without waiting for the timer, and close() writes the rest', async () => {
    const { batches, identities } = recordingIdentities();
    const writer = createActivityWriter({
      identities,
      flushMs: 60_000,
      batchSize: 2,
      maxPending: 100,
      warn: () => undefined,
    });
    writer.record(key('a'), 1_000, 'connected');
    writer.record(key('b'), 1_000, 'connected');
    writer.record(key('c'), 1_100, 'connected');
    await writer.close();
    expect(batches.map((b) => b.map((u) => u.deviceId))).toEqual([['a', 'b'], ['c']]);
    expect((await store.identities.get(key('c')))?.connectionState).toBe('connected');
  });

  it('bounds what waits: new identities beyond the bound are dropped and reported, known ones still coalesce', async () => {
    const { batches, identities } = recordingIdentities();
    const warnings: string[] = [];
    const writer = createActivityWriter({
      identities,
      flushMs: 60_000,
      batchSize: 100,
      maxPending: 2,
      warn: (m) => warnings.push(m),
    });
    writer.record(key('a'), 1_000, 'connected');
    writer.record(key('b'), 1_000, 'connected');
    writer.record(key('c'), 1_000, 'connected');
    writer.record(key('a'), 3_000, 'disconnected');
    await writer.close();
    expect(batches[0]?.map((u) => [u.deviceId, u.connectionState])).toEqual([
      ['a', 'disconnected'],
      ['b', 'connected'],
    ]);
    expect(warnings).toEqual(['dropped connection state updates of 1 identities (buffer full)']);
    expect((await store.identities.get(key('c')))?.connectionState).toBe('disconnected');
  });

  it('reports a failed write and keeps going with the next batch', async () => {
    const warnings: string[] = [];
    let fail = true;
    const writer = createActivityWriter({
      identities: {
        recordActivities: async (updates) => {
          if (fail) throw new Error('disk full');
          await store.identities.recordActivities(updates);
        },
      },
      flushMs: 60_000,
      batchSize: 100,
      maxPending: 100,
      warn: (m, e) => warnings.push(`${m}: ${(e as Error | undefined)?.message ?? ''}`),
    });
    writer.record(key('a'), 1_000, 'connected');
    await writer.flush();
    expect(warnings).toEqual(['cannot record connection state of 1 identities: disk full']);
    fail = false;
    writer.record(key('b'), 2_000, 'connected');
    await writer.close();
    expect((await store.identities.get(key('b')))?.connectionState).toBe('connected');
    // Advisory state: the failed batch is not retried (the next connect or disconnect rewrites it).
    expect((await store.identities.get(key('a')))?.connectionState).toBe('disconnected');
  });

  it('writes on its timer when nobody flushes', async () => {
    const { batches, identities } = recordingIdentities();
    const writer = createActivityWriter({
      identities,
      flushMs: 5,
      batchSize: 100,
      maxPending: 100,
      warn: () => undefined,
    });
    const written = new Promise<void>((resolve) => {
      const original = identities.recordActivities;
      identities.recordActivities = async (updates) => {
        await original(updates);
        resolve();
      };
    });
    writer.record(key('a'), 1_000, 'connected');
    await written;
    expect(batches).toHaveLength(1);
    expect((await store.identities.get(key('a')))?.connectionState).toBe('connected');
    await writer.close();
  });
});
