/**
 * Test support: the real Vigil server (hub on loopback TLS, analytics runner, API) on a fresh data
 * directory, with helpers to register security agents, publish JSON security events over MQTT with
 * @vigil/sim, wait until analytics has caught up with the ingest log, and run the time-based checks
 * at an injected time.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecurityMessage, generateSymmetricKey, SECURITY_INTERFACE_ID } from '@vigil/protocol';
import { startServer, type RunningServer, type ServerOptions } from '@vigil/server';
import { VigilClient } from '@vigil/api-client';
import { createAnalyticsRunner, type AnalyticsRunner, type AnalyticsRunnerOptions } from '@vigil/analytics';
import type { Store } from '@vigil/storage';
import {
  connectMqttDevice,
  jsonEvent,
  jsonSecurityMessage,
  type ConnectOptions,
  type HubEndpoint,
  type JsonPayloadItem,
  type MqttDevice,
  type SimulatedIdentity,
} from '@vigil/sim';

/** Polls until `check` returns a value, at most `attempts` times (no unbounded loops in tests). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  attempts = 100,
  delayMs = 50,
): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}

/** One JSON security event to publish. */
export interface ScenarioEvent {
  readonly name: string;
  readonly payload: readonly JsonPayloadItem[];
  readonly category?: 'Periodic' | 'Triggered';
  readonly eventType?: 'Security' | 'Operational' | 'Diagnostic';
}

/** A running server and the helpers of the scenarios. */
export interface ScenarioServer {
  readonly server: RunningServer;
  readonly store: Store;
  readonly client: VigilClient;
  readonly endpoint: HubEndpoint;
  readonly dataDir: string;
  /** Registers a device and its `azureiotsecurity` module (SAS); returns the module's identity. */
  addAgent(deviceId: string, options?: { readonly group?: string }): Promise<SimulatedIdentity>;
  connect(identity: SimulatedIdentity, options?: ConnectOptions): Promise<MqttDevice>;
  /** Connects, publishes one security message carrying `events`, disconnects. */
  sendEvents(identity: SimulatedIdentity, events: readonly ScenarioEvent[]): Promise<void>;
  /** Flushes the hub's operations and waits until analytics has processed the whole ingest log. */
  settle(): Promise<void>;
  /** Active alerts as `deviceId:typeId`, read through the API. */
  alertKeys(filter?: { readonly deviceId?: string; readonly typeId?: string }): Promise<string[]>;
  /** Raised recommendations as `deviceId:typeId`, read through the API. */
  raisedRecommendations(deviceId?: string): Promise<string[]>;
  /** Calls the server's HTTP API as the admin (`/api/...`). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** A second runner on the same store whose clock the test sets, for the time-based checks. */
  clockRunner(
    now: () => number,
    options?: Pick<AnalyticsRunnerOptions, 'silentAfterMs' | 'hubPosture'>,
  ): AnalyticsRunner;
  stop(): Promise<void>;
}

/** Options of {@link startScenarioServer}. */
export interface ScenarioServerOptions {
  /** Lines of a plain-list threat-intelligence feed, loaded at start. */
  readonly feed?: readonly string[];
  /**
   * How often the server's own runner runs the time-based checks (an hour by default: once at start,
   * then the scenarios run them at the time they choose through {@link ScenarioServer.clockRunner}).
   */
  readonly periodicChecksMs?: number;
  /** Alert export and detection thresholds, as `analyticsServerOptions` makes them from settings. */
  readonly serverOptions?: Pick<ServerOptions, 'alertExport' | 'detection'>;
}

/** Starts a {@link ScenarioServer}; stop it in `afterAll`. */
export async function startScenarioServer(options: ScenarioServerOptions = {}): Promise<ScenarioServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vigil-analytics-scenarios-'));
  const server = await startServer({
    dataDir,
    hostName: 'localhost',
    listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    api: { port: 0 },
    decode: decodeSecurityMessage,
    logger: false,
    periodicChecksMs: options.periodicChecksMs ?? 3_600_000,
    ...options.serverOptions,
    prepare: async (store) => {
      if (options.feed === undefined) return;
      const location = join(dataDir, 'scenario-feed.txt');
      await writeFile(location, `${options.feed.join('\n')}\n`);
      await store.threatIntelFeeds.put({
        name: 'scenario-feed',
        source: { type: 'file', location },
        format: { type: 'list' },
        internal: false,
        refreshIntervalMs: 3_600_000,
      });
    },
  });
  const token = server.firstAdminToken!;
  const client = new VigilClient({ baseUrl: server.url, token });
  const { store } = server;
  const endpoint: HubEndpoint = {
    url: `mqtts://localhost:${server.hub.addresses.mqtts!.port}`,
    hostName: 'localhost',
    ca: server.hub.caCertificatePem,
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  // The schema wants the agent id as a GUID (reference/azure-iot-security-schemas/message_v1_0.json).
  const agentIds = new Map<string, string>();
  const agentIdOf = (deviceId: string): string => {
    const known = agentIds.get(deviceId) ?? randomUUID();
    agentIds.set(deviceId, known);
    return known;
  };
  const connect = (identity: SimulatedIdentity, connectOptions?: ConnectOptions) =>
    connectMqttDevice(endpoint, identity, connectOptions);

  return {
    server,
    store,
    client,
    endpoint,
    dataDir,
    call,
    connect,
    async addAgent(deviceId, agentOptions = {}) {
      const key = generateSymmetricKey();
      await store.identities.create({
        deviceId,
        moduleId: null,
        auth: { type: 'sas', primaryKey: generateSymmetricKey(), secondaryKey: generateSymmetricKey() },
      });
      await store.identities.create({
        deviceId,
        moduleId: 'azureiotsecurity',
        auth: { type: 'sas', primaryKey: key, secondaryKey: generateSymmetricKey() },
      });
      server.hub.invalidate();
      if (agentOptions.group !== undefined) {
        const response = await call('PATCH', `/api/hub/twins/${deviceId}/modules/azureiotsecurity`, {
          tags: { SecurityGroup: agentOptions.group },
        });
        if (response.status !== 200) throw new Error(`twin tag refused: ${JSON.stringify(response.json)}`);
      }
      return { deviceId, moduleId: 'azureiotsecurity', key };
    },
    async sendEvents(identity, events) {
      const device = await connect(identity);
      try {
        const now = Date.now();
        const message = jsonSecurityMessage(
          agentIdOf(identity.deviceId),
          events.map((event) =>
            jsonEvent({
              id: randomUUID(),
              at: now,
              name: event.name,
              category: event.category ?? 'Triggered',
              ...(event.eventType === undefined ? {} : { eventType: event.eventType }),
              payload: event.payload,
            }),
          ),
        );
        await device.publish({
          body: new TextEncoder().encode(JSON.stringify(message)),
          properties: {
            system: {
              interfaceId: SECURITY_INTERFACE_ID,
              contentType: 'application/json',
              contentEncoding: 'utf-8',
            },
          },
        });
      } finally {
        await device.close();
      }
    },
    async settle() {
      await server.hub.operations.flush();
      await eventually(async () => {
        const head = await store.ingestLog.head();
        const cursor = await store.ingestLog.cursor('analytics');
        return head === null || cursor.position === head ? true : undefined;
      }, 200);
    },
    async alertKeys(filter = {}) {
      const page = await client.listAlerts({ status: 'active', limit: 500, ...filter });
      return page.items.map((alert) => `${alert.deviceId}:${alert.typeId}`).sort();
    },
    async raisedRecommendations(deviceId) {
      const page = await client.listRecommendations({
        state: 'raised',
        limit: 500,
        ...(deviceId === undefined ? {} : { deviceId }),
      });
      return page.items.map((item) => `${item.deviceId}:${item.typeId}`).sort();
    },
    clockRunner(now, runnerOptions = {}) {
      return createAnalyticsRunner({
        store,
        decode: decodeSecurityMessage,
        group: 'scenario-clock',
        now,
        ...(runnerOptions.silentAfterMs === undefined ? {} : { silentAfterMs: runnerOptions.silentAfterMs }),
        ...(runnerOptions.hubPosture === undefined ? {} : { hubPosture: runnerOptions.hubPosture }),
      });
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
