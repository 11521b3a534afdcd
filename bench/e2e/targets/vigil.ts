/**
 * Vigil under test (a child process, so its CPU profile and RSS are its own): either the whole
 * server — hub with TLS and plain listeners, SAS auth, durable ingest log, analytics runner
 * (decode, validation, detections, storage) and the API — or the hub alone for the connection
 * benchmark. Also registers the benchmark's device identities through the registry.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodeSecurityMessage } from '@vigil/protocol';
import { startServer, type RunningServer } from '@vigil/server';
import { createHub, type Hub } from '@vigil/hub';
import { openSqliteStore } from '@vigil/storage';
import { serveParent } from '../child.js';
import { startProfile, stopProfile } from './self-profile.js';
import { BENCH_HOST_NAME, deviceId, deviceKey } from '../identities.js';

/** What {@link start} binds and returns. */
export interface VigilEndpoints {
  readonly mqttPort: number;
  readonly mqttsPort: number;
  readonly ca: string;
  readonly apiUrl: string | null;
  readonly adminToken: string | null;
}

/** Stats the orchestrator samples. */
export interface VigilStats {
  /** Ingest records analytics finished: device messages and hub operations. */
  readonly records: number;
  readonly operations: number;
  readonly eventsRecorded: number;
  readonly alertsCreated: number;
  /** Analytics' units of work committed (one transaction, one fsync each). */
  readonly units: number;
  readonly rss: number;
  /** Event-loop delay since the last profile start, ms: how long sockets waited to be read. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

let server: RunningServer | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let hub: Hub | undefined;
const listeners = {
  // Plain MQTT binds loopback only; the generator's 127.0.0.x source addresses still reach it.
  mqtt: { port: 0, host: '127.0.0.1' },
  mqtts: { port: 0, host: '0.0.0.0' },
  wss: false,
} as const;

function endpoints(of: Hub, apiUrl: string | null, adminToken: string | null): VigilEndpoints {
  return {
    mqttPort: of.addresses.mqtt?.port ?? 0,
    mqttsPort: of.addresses.mqtts?.port ?? 0,
    ca: of.caCertificatePem,
    apiUrl,
    adminToken,
  };
}

serveParent({
  /**
   * Registers `count` devices of each group through the registry (one transaction each, as an
   * operator's import would); run it on a tmpfs directory, the registry has no bulk import.
   */
  async register(arg: { dataDir: string; groups: readonly { group: string; count: number }[] }) {
    const store = await openSqliteStore({ dataDir: arg.dataDir });
    try {
      for (const { group, count } of arg.groups) {
        for (let start = 0; start < count; start += 256) {
          await Promise.all(
            Array.from({ length: Math.min(256, count - start) }, (_, i) => {
              const id = deviceId(group, start + i);
              return store.identities.create({
                deviceId: id,
                moduleId: null,
                auth: { type: 'sas', primaryKey: deviceKey(id), secondaryKey: deviceKey(`${id}#2`) },
              });
            }),
          );
        }
      }
    } finally {
      await store.close();
    }
  },
  /** The full server on the data directory; both MQTT listeners and the API on free ports. */
  async startServer(dataDir: string): Promise<VigilEndpoints> {
    server = await startServer({
      dataDir,
      hostName: BENCH_HOST_NAME,
      listeners,
      api: { port: 0 },
      decode: decodeSecurityMessage,
      logger: false,
    });
    return endpoints(server.hub, server.url, server.firstAdminToken ?? null);
  },
  /** The hub alone, its connection cap raised out of the way of the step-up. */
  async startHub(dataDir: string): Promise<VigilEndpoints> {
    hub = await createHub({
      dataDir,
      hostName: BENCH_HOST_NAME,
      listeners,
      limits: { maxConnections: 1_000_000 },
    });
    await hub.start();
    return endpoints(hub, null, null);
  },
  stats(): VigilStats {
    const analytics = server?.analytics.stats();
    const { rss } = process.memoryUsage();
    return {
      records: analytics?.records ?? 0,
      operations: analytics?.operations ?? 0,
      eventsRecorded: analytics?.eventsRecorded ?? 0,
      alertsCreated: analytics?.alertsCreated ?? 0,
      units: analytics?.units ?? 0,
      rss,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    };
  },
  profileStart: () => {
    loopDelay.reset();
    return startProfile();
  },
  profileStop: (file: string) => stopProfile(file),
  /**
   * Stops and exits (which writes nothing more: profiles are taken over IPC). The server's graceful
   * stop lets analytics drain its backlog, which at the rates measured here can take minutes, so the
   * stop is bounded: the benchmark's data directory is thrown away anyway.
   */
  async stop() {
    const stopping = Promise.all([server?.stop(), hub?.stop()]);
    await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 3000))]);
    setTimeout(() => process.exit(0), 20);
  },
});
