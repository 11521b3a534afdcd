import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createDeviceServices, type DeviceServices } from '../device-services.js';
import { createServiceApi } from '../create-service-api.js';
import { openServiceHarness, type ServiceHarness } from './service-harness.js';

/** The admin and viewer tokens of {@link openApiHarness}. */
export const ADMIN = 'admin-token-0123456789';
export const VIEWER = 'viewer-token-0123456789';

type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** The service API over real services, a SQLite store and the recording stand-ins, reached with `inject`. */
export interface ApiHarness {
  readonly h: ServiceHarness;
  readonly services: DeviceServices;
  readonly app: FastifyInstance;
  /** Calls `/api/hub{url}` with the admin token unless another is given. */
  call(
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
    token?: string,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The `error` object of an error answer. */
export function errorOf(response: LightMyRequestResponse): {
  code: string;
  message: string;
  details: { path: string }[];
} {
  return response.json<{ error: { code: string; message: string; details: { path: string }[] } }>().error;
}

/**
 * Opens an {@link ApiHarness}: methods count 10 ms per "second" (fast timeouts), C2D queues hold 2
 * messages, no expiry timer.
 */
export async function openApiHarness(): Promise<ApiHarness> {
  const h = await openServiceHarness();
  h.now = Date.now();
  const services = createDeviceServices({
    store: h.store,
    channel: h.channel,
    operations: h.operations,
    clock: () => h.now,
    hostName: 'hub.test',
    methods: { millisPerSecond: 10 },
    c2d: { maxDepth: 2, sweepIntervalMs: 0 },
  });
  const app = await createServiceApi({
    services,
    operations: h.store.operations,
    adminToken: ADMIN,
    viewerToken: VIEWER,
  });
  return {
    h,
    services,
    app,
    call: (method, url, body, headers = {}, token = ADMIN) =>
      app.inject({
        method,
        url: `/api/hub${url}`,
        headers: { authorization: `Bearer ${token}`, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    async close() {
      await app.close();
      await services.close();
      await h.close();
    },
  };
}
