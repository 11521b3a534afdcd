/**
 * The authenticate hook's time limit with a stalled registry: the CONNECT is answered with CONNACK 3
 * (which the SDKs retry) within `hookTimeoutMs`, the operations log says why, and the registry's
 * late answer attaches no session. A failing registry answers 3 with its own reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '@vigil/hub';
import { openSqliteStore, type Identity, type IdentityKey, type Store } from '@vigil/storage';
import { addIdentity, eventually, operations } from './support/hub-fixture.js';
import { iotHubUsername, sasToken, tryConnect } from './support/mqtt-client.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-timeout-'));
let store: Store;
let hub: Hub;
let port = 0;
const keys = new Map<string, string>();
/** Registry reads of `stall-dev` wait for this gate; the reads themselves are real. */
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));
const lateReads: Promise<Identity | undefined>[] = [];

beforeAll(async () => {
  store = await openSqliteStore({ dataDir });
  const identities = store.identities;
  // A stand-in for a stalled database: the real repository, with one device's reads held back.
  const stalling: Store = {
    ...store,
    identities: {
      ...identities,
      get(key: IdentityKey) {
        if (key.deviceId === 'stall-dev') {
          const read = gate.then(() => identities.get(key));
          lateReads.push(read);
          return read;
        }
        if (key.deviceId === 'broken-dev') return Promise.reject(new Error('disk I/O error'));
        return identities.get(key);
      },
    },
  };
  hub = await createHub({
    dataDir,
    store: stalling,
    hostName: 'localhost',
    listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    operations: { flushIntervalMs: 5 },
    limits: { hookTimeoutMs: 200 },
  });
  await hub.start();
  port = hub.addresses.mqtts?.port ?? 0;
  for (const id of ['stall-dev', 'broken-dev', 'fine-dev']) keys.set(id, await addIdentity(hub, id));
});
afterAll(async () => {
  release();
  await hub.stop();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connectAs(deviceId: string) {
  return tryConnect({
    port,
    ca: hub.caCertificatePem,
    clientId: deviceId,
    username: iotHubUsername(`localhost:${port}`, deviceId),
    password: sasToken({ host: `localhost:${port}`, deviceId, key: keys.get(deviceId) ?? '' }),
  });
}

describe('authentication against a stalled registry', () => {
  it('answers CONNACK 3, records authenticationTimedOut, and the late success attaches no session', async () => {
    const result = await connectAs('stall-dev');
    expect(result).toMatchObject({ connected: false, returnCode: 3 });
    const failure = await eventually(async () =>
      (await operations(hub, 'authenticationFailed')).find((o) => o.deviceId === 'stall-dev'),
    );
    expect(failure).toMatchObject({
      outcome: 'failure',
      reason: 'authenticationTimedOut',
      sourceAddress: '127.0.0.1',
      details: { protocol: 'mqtt', returnCode: 3, clientId: 'stall-dev' },
    });
    expect(failure.details.message).toMatch(/200 ms/);

    // Now the registry answers — with a valid identity — long after the CONNACK.
    release();
    expect(lateReads).toHaveLength(1);
    expect(await lateReads[0]).toMatchObject({ deviceId: 'stall-dev', status: 'enabled' });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    await hub.operations.flush();
    expect(hub.channel.isConnected({ deviceId: 'stall-dev', moduleId: null })).toBe(false);
    const forDevice = (await operations(hub)).filter((o) => o.deviceId === 'stall-dev');
    expect(forDevice.map((o) => o.operation)).toEqual(['authenticationFailed']);
    expect((await store.identities.get({ deviceId: 'stall-dev', moduleId: null }))?.connectionState).toBe(
      'disconnected',
    );

    // With the registry answering again the same device connects normally.
    const again = await connectAs('stall-dev');
    expect(again.connected).toBe(true);
    if (again.connected) await again.client.endAsync();
  });

  it('answers CONNACK 3 with authenticationUnavailable when the registry fails, and keeps serving others', async () => {
    expect(await connectAs('broken-dev')).toMatchObject({ connected: false, returnCode: 3 });
    const failure = await eventually(async () =>
      (await operations(hub, 'authenticationFailed')).find((o) => o.deviceId === 'broken-dev'),
    );
    expect(failure).toMatchObject({ reason: 'authenticationUnavailable', details: { returnCode: 3 } });
    // The cause stays in the hub's log, not in the operations log an API caller reads.
    expect(JSON.stringify(failure)).not.toContain('disk I/O');
    const fine = await connectAs('fine-dev');
    expect(fine.connected).toBe(true);
    if (fine.connected) await fine.client.endAsync();
  });
});
