import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSecurityMessage, generateSymmetricKey } from '@vigil/protocol';
import { startServer, type RunningServer } from '@vigil/server';
import { VigilClient } from '@vigil/api-client';
import { startFleet, type Fleet, type FleetDevice } from '@vigil/sim';

/** Polls until `check` returns a value, at most `attempts` times (no unbounded loops in tests). */
async function eventually<T>(check: () => Promise<T | undefined>, attempts = 150, delayMs = 100): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}

describe('from a device publish to an alert in the API', () => {
  let dir: string;
  let server: RunningServer;
  let fleet: Fleet;
  let client: VigilClient;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-e2e-'));
    const devices: FleetDevice[] = [];
    server = await startServer({
      dataDir: dir,
      listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
      api: { port: 0 },
      decode: decodeSecurityMessage,
      prepare: async (store) => {
        for (const [deviceId, scenario] of [
          ['hmi-1', 'miner-process'],
          ['kiosk-1', 'brute-force'],
          ['gw-1', undefined],
        ] as const) {
          await store.identities.create({
            deviceId,
            moduleId: null,
            auth: { type: 'sas', primaryKey: generateSymmetricKey(), secondaryKey: generateSymmetricKey() },
          });
          const key = generateSymmetricKey();
          await store.identities.create({
            deviceId,
            moduleId: 'azureiotsecurity',
            auth: { type: 'sas', primaryKey: key, secondaryKey: generateSymmetricKey() },
          });
          devices.push({
            identity: { deviceId, moduleId: 'azureiotsecurity', key },
            profile: 'json-agent',
            ...(scenario === undefined ? {} : { scenario }),
          });
        }
      },
    });
    client = new VigilClient({ baseUrl: server.url, token: server.firstAdminToken! });
    const port = server.hub.addresses.mqtts!.port;
    fleet = await startFleet({
      endpoint: { url: `mqtts://localhost:${port}`, hostName: 'localhost', ca: server.hub.caCertificatePem },
      devices,
      seed: 7,
      tickMs: 200,
      attackAfterMs: 400,
    });
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('raises the attacks of the devices that were attacked, and nothing for the benign one', async () => {
    const alerts = await eventually(async () => {
      const page = await client.listAlerts({ status: 'active' });
      const types = new Set(page.items.map((alert) => `${alert.deviceId}:${alert.typeId}`));
      return types.has('hmi-1:Vigil_CryptoMiner') && types.has('kiosk-1:Vigil_SuccessfulBruteForce')
        ? page
        : undefined;
    });
    expect(alerts.items.filter((alert) => alert.deviceId === 'gw-1')).toEqual([]);
    const miner = alerts.items.find((alert) => alert.typeId === 'Vigil_CryptoMiner')!;
    const detail = await client.getAlert(miner.id);
    expect(JSON.stringify(detail.evidence)).toContain('xmrig');
    expect(fleet.stats().errors).toBe(0);
  });

  it('keeps the security events of each device queryable, and the benign device gets posture recommendations', async () => {
    const events = await client.deviceEvents('gw-1', { name: 'ListeningPorts' });
    expect(events.items.length).toBeGreaterThan(0);
    const recommendations = await client.listRecommendations({ deviceId: 'gw-1', state: 'raised' });
    expect(recommendations.items.map((r) => r.typeId)).toContain('IoT_OpenPorts');
  });
});
