import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecurityMessage, generateSymmetricKey } from '@vigil/protocol';
import { startServer, type RunningServer } from '@vigil/server';
import { startFleet, type Fleet, type FleetDevice } from '@vigil/sim';
import { startTwinResponder, type TwinResponder } from './twin-responder.js';

/** The device whose agent configuration the browser edits (answered by a {@link TwinResponder}). */
export const CONFIGURED_DEVICE = 'gw-cfg';

/** A real server with a simulated fleet: one miner attack, one benign gateway, one configurable agent. */
export interface LiveServer {
  readonly server: RunningServer;
  readonly adminToken: string;
  readonly fleet: Fleet;
  readonly responder: TwinResponder;
  stop(): Promise<void>;
}

/**
 * Starts `startServer` on a temp SQLite store (the built dashboard served by it), a fleet speaking
 * the real protocol over MQTTS, and the twin responder. Periodic checks run only when the test calls
 * them, so rule enforcement needs no waiting.
 */
export async function startLiveServer(): Promise<LiveServer> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-dashboard-'));
  const devices: FleetDevice[] = [];
  const keys = new Map<string, string>();
  const server = await startServer({
    dataDir: dir,
    listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    api: { port: 0 },
    decode: decodeSecurityMessage,
    logger: false,
    periodicChecksMs: 3_600_000,
    prepare: async (store) => {
      for (const deviceId of ['hmi-1', 'gw-1', CONFIGURED_DEVICE]) {
        await store.identities.create({
          deviceId,
          moduleId: null,
          auth: { type: 'sas', primaryKey: generateSymmetricKey(), secondaryKey: generateSymmetricKey() },
        });
        const key = generateSymmetricKey();
        keys.set(deviceId, key);
        await store.identities.create({
          deviceId,
          moduleId: 'azureiotsecurity',
          auth: { type: 'sas', primaryKey: key, secondaryKey: generateSymmetricKey() },
        });
      }
      devices.push(
        {
          identity: { deviceId: 'hmi-1', moduleId: 'azureiotsecurity', key: keys.get('hmi-1')! },
          profile: 'json-agent',
          scenario: 'miner-process',
        },
        {
          identity: { deviceId: 'gw-1', moduleId: 'azureiotsecurity', key: keys.get('gw-1')! },
          profile: 'json-agent',
        },
      );
    },
  });
  const endpoint = {
    url: `mqtts://localhost:${server.hub.addresses.mqtts!.port}`,
    hostName: 'localhost',
    ca: server.hub.caCertificatePem,
  };
  const fleet = await startFleet({ endpoint, devices, seed: 7, tickMs: 250, attackAfterMs: 500 });
  const responder = await startTwinResponder({
    ...endpoint,
    deviceId: CONFIGURED_DEVICE,
    key: keys.get(CONFIGURED_DEVICE)!,
  });
  return {
    server,
    adminToken: server.firstAdminToken!,
    fleet,
    responder,
    stop: async () => {
      await responder.close();
      await fleet.stop();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value, at most `attempts` times (no unbounded loops in tests). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  attempts = 150,
  delayMs = 100,
): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}
