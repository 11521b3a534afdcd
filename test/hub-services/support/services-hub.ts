/**
 * Test support: a real hub on loopback (TLS on a free port) with Vigil's device services registered
 * and the service API in front of them, reached with `inject`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  createDeviceServices,
  createHub,
  createServiceApi,
  isHubError,
  type DeviceServices,
  type Hub,
  type HubOptions,
} from '@vigil/hub';
import { RedirectingAgent } from '../../hub/support/redirecting-agent.js';

/** The admin token the test API accepts. */
export const ADMIN_TOKEN = 'services-test-admin-token-0123456789';

/** A running hub with its services and API. */
export interface ServicesHub {
  readonly hub: Hub;
  readonly services: DeviceServices;
  readonly api: FastifyInstance;
  readonly port: number;
  /**
   * With `wss`: set when 443 was taken and the SDK's documented `webSocketAgent` option must send
   * the MqttWs transport's socket to the port-0 listener instead (reference/iothub-mqtt.md §0 item 9).
   */
  readonly webSocketAgent: Agent | undefined;
  /** Calls the service API as the admin. */
  call<T = Record<string, unknown>>(
    method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }>;
  /** The identity's operations (`operation:outcome[:reason]`), oldest first, after flushing. */
  operationsOf(deviceId: string, moduleId?: string | null): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts a {@link ServicesHub}; stop it in `afterAll`. With `wss` the MQTT-over-WebSocket listener
 * binds 443 on loopback (the SDK's MqttWs always dials 443), or a free port when 443 is taken.
 */
export async function startServicesHub(
  options: {
    readonly wss?: boolean;
    /** More hub options (e.g. a shorter `d2cCountWindowMs`); the listeners and data directory stay the fixture's. */
    readonly hub?: Omit<Partial<HubOptions>, 'listeners' | 'dataDir'>;
  } = {},
): Promise<ServicesHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-services-'));
  const build = async (wssPort: number): Promise<{ hub: Hub; services: DeviceServices }> => {
    const hub = await createHub({
      hostName: 'localhost',
      dataDir,
      listeners: {
        mqtts: { port: 0, host: '127.0.0.1' },
        wss: options.wss === true ? { port: wssPort, host: '127.0.0.1' } : false,
      },
      operations: { flushIntervalMs: 5 },
      ...options.hub,
    });
    const services = createDeviceServices({
      store: hub.store,
      channel: hub.channel,
      operations: hub.operations,
      hostName: 'localhost',
      invalidate: () => hub.invalidate(),
    });
    for (const service of services.services) hub.use(service);
    try {
      await hub.start();
    } catch (error) {
      await services.close();
      await hub.stop();
      throw error;
    }
    return { hub, services };
  };
  let webSocketAgent: Agent | undefined;
  let built: { hub: Hub; services: DeviceServices };
  try {
    built = await build(443);
  } catch (error) {
    if (options.wss !== true || !isHubError(error, 'LISTEN_FAILED')) throw error;
    built = await build(0);
    webSocketAgent = new RedirectingAgent(built.hub.addresses.wss?.port ?? 0);
  }
  const { hub, services } = built;
  const api = await createServiceApi({ services, operations: hub.store.operations, adminToken: ADMIN_TOKEN });
  return {
    hub,
    services,
    api,
    port: hub.addresses.mqtts?.port ?? 0,
    webSocketAgent,
    async call<T>(method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
      const response = await api.inject({
        method,
        url: `/api/hub${url}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: response.statusCode, json: response.json<T>() };
    },
    async operationsOf(deviceId, moduleId = null) {
      await hub.operations.flush();
      const rows = await hub.store.operations.list({ deviceId, limit: 1000 });
      return rows
        .filter((row) => row.moduleId === moduleId)
        .reverse()
        .map((row) => [row.operation, row.outcome, ...(row.reason === null ? [] : [row.reason])].join(':'));
    },
    async stop() {
      await api.close();
      await services.close();
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
