import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent, type RunningAgent } from '@vigil/agent';
import { decodeSecurityMessage, generateSymmetricKey } from '@vigil/protocol';
import { startServer, type RunningServer } from '@vigil/server';
import { startFleet, type Fleet, type FleetDevice } from '@vigil/sim';

/** The device whose agent configuration the browser edits (run by the real Vigil agent). */
export const CONFIGURED_DEVICE = 'gw-cfg';

/**
 * How often the configured device's agent sends High and Low messages before the browser changes
 * it, in milliseconds. Short, so its ConfigurationError events (Low by default, §2.5 of
 * reference/azure-security-module.md) reach the page within seconds; High no longer than Low, so
 * the starting configuration has no Conflict of its own.
 */
const AGENT_FREQUENCIES_MS = { high: 2_000, low: 4_000 } as const;

/** A real server with a simulated fleet (one miner attack, one benign gateway) and one real agent. */
export interface LiveServer {
  readonly server: RunningServer;
  readonly adminToken: string;
  readonly fleet: Fleet;
  /** The Vigil security agent of {@link CONFIGURED_DEVICE}, applying its module twin's configuration. */
  readonly agent: RunningAgent;
  stop(): Promise<void>;
}

/**
 * Starts `startServer` on a temp SQLite store (the built dashboard served by it), a fleet speaking
 * the real protocol over MQTTS, and `runAgent` (`@vigil/agent`) as {@link CONFIGURED_DEVICE}'s
 * `azureiotsecurity` module over MQTTS, trusting the hub's CA. The agent runs no collectors: what it
 * sends is its own (ConfigurationError and the like). Periodic checks run only when the test calls
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
  const caFile = join(dir, 'hub-ca.pem');
  await writeFile(caFile, server.hub.caCertificatePem);
  const agent = await runAgent({
    connectionString: [
      'HostName=localhost',
      `DeviceId=${CONFIGURED_DEVICE}`,
      'ModuleId=azureiotsecurity',
      `SharedAccessKey=${keys.get(CONFIGURED_DEVICE)!}`,
      `GatewayHostName=localhost:${server.hub.addresses.mqtts!.port}`,
    ].join(';'),
    caFile,
    env: {},
    dataDir: join(dir, 'agent'),
    logLevel: 'error',
    collectorInstances: [],
    coreConfiguration: {
      highPriorityMessageFrequencyMs: AGENT_FREQUENCIES_MS.high,
      lowPriorityMessageFrequencyMs: AGENT_FREQUENCIES_MS.low,
    },
  });
  return {
    server,
    adminToken: server.firstAdminToken!,
    fleet,
    agent,
    stop: async () => {
      await agent.stop();
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
