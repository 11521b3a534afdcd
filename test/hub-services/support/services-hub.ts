/**
 * Test support: a real hub on loopback (TLS on a free port) with Vigil's device services registered
 * and the service API in front of them, reached with `inject`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDeviceServices, createHub, createServiceApi, type DeviceServices, type Hub } from '@vigil/hub';

/** The admin token the test API accepts. */
export const ADMIN_TOKEN = 'services-test-admin-token-0123456789';

/** A running hub with its services and API. */
export interface ServicesHub {
  readonly hub: Hub;
  readonly services: DeviceServices;
  readonly api: FastifyInstance;
  readonly port: number;
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

/** Starts a {@link ServicesHub}; stop it in `afterAll`. */
export async function startServicesHub(): Promise<ServicesHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-services-'));
  const hub = await createHub({
    hostName: 'localhost',
    dataDir,
    listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    operations: { flushIntervalMs: 5 },
  });
  const services = createDeviceServices({
    store: hub.store,
    channel: hub.channel,
    operations: hub.operations,
    hostName: 'localhost',
    invalidate: () => hub.invalidate(),
  });
  for (const service of services.services) hub.use(service);
  await hub.start();
  const api = await createServiceApi({ services, operations: hub.store.operations, adminToken: ADMIN_TOKEN });
  return {
    hub,
    services,
    api,
    port: hub.addresses.mqtts?.port ?? 0,
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
