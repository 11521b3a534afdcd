import { openPostgresStore, openSqliteStore, type Store } from '@vigil/storage';
import {
  createDeviceServices,
  createHub,
  type DeviceServices,
  type Hub,
  type ListenersOptions,
} from '@vigil/hub';
import {
  createAnalyticsRunner,
  createFeedLoader,
  toLoadRecord,
  type AnalyticsRunner,
  type FeedLoader,
  type SecurityMessageDecoder,
} from '@vigil/analytics';
import type { FastifyInstance } from 'fastify';
import { createApi } from '../api/create-api.js';
import { TokenStore } from '../auth/tokens.js';

/** Where the HTTP API and dashboard listen by default. */
export const DEFAULT_API_PORT = 4280;

/** Options of {@link startServer}. */
export interface ServerOptions {
  readonly dataDir: string;
  /** PostgreSQL instead of the embedded SQLite database. */
  readonly postgresUrl?: string;
  /** The hub's host name (SAS resource URIs, certificate). */
  readonly hostName?: string;
  readonly listeners?: ListenersOptions;
  readonly api?: { readonly port?: number; readonly host?: string };
  /** `decodeSecurityMessage` from `@vigil/protocol`. */
  readonly decode: SecurityMessageDecoder;
  readonly logger?: boolean | object;
  /** How often silent devices, time-window rules and hub posture are checked (30 s by default). */
  readonly periodicChecksMs?: number;
  /** Runs on the open store before anything starts (the demo registers its fleet and feed here). */
  readonly prepare?: (store: Store) => Promise<void>;
}

/** A running Vigil server. */
export interface RunningServer {
  readonly store: Store;
  readonly hub: Hub;
  /** Registry, twins, direct methods and C2D of the hub. */
  readonly devices: DeviceServices;
  readonly api: FastifyInstance;
  readonly analytics: AnalyticsRunner;
  /** The threat-intelligence feeds configured in the store, loaded and refreshed on their schedules. */
  readonly threatIntel: FeedLoader;
  /** Where the API and dashboard answer. */
  readonly url: string;
  /** The admin token created on the very first start (shown once, never stored in clear); else undefined. */
  readonly firstAdminToken: string | undefined;
  /** Graceful stop: hub first (no new data), then analytics drains, then the API and the database. */
  stop(): Promise<void>;
}

/**
 * Starts hub, security center and API on one database. The first start creates an admin API token
 * and returns it once.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const store =
    options.postgresUrl === undefined
      ? await openSqliteStore({ dataDir: options.dataDir })
      : await openPostgresStore({ url: options.postgresUrl, dataDir: options.dataDir });
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  const unwind = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    await options.prepare?.(store);
    const tokens = await TokenStore.open(options.dataDir);
    const firstAdminToken = tokens.isEmpty ? (await tokens.create('admin', 'first admin')).token : undefined;
    const hub = await createHub({
      dataDir: options.dataDir,
      store,
      ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
      ...(options.listeners === undefined ? {} : { listeners: options.listeners }),
    });
    const devices = createDeviceServices({
      store,
      channel: hub.channel,
      operations: hub.operations,
      hostName: hub.config.hostName,
    });
    for (const service of devices.services) hub.use(service);
    // Unwound in reverse: the hub stops taking device traffic before its services close.
    cleanup.push(() => devices.close());
    await hub.start();
    cleanup.push(() => hub.stop());
    const threatIntel = createFeedLoader({
      feeds: await store.threatIntelFeeds.list(),
      onLoad: (report) => {
        store.threatIntelFeeds.recordLoad(report.feed, toLoadRecord(report)).catch(() => undefined);
      },
    });
    await threatIntel.start();
    cleanup.push(() => Promise.resolve(threatIntel.stop()));
    const analytics = createAnalyticsRunner({
      store,
      decode: options.decode,
      threatIntel,
      periodicIntervalMs: options.periodicChecksMs ?? 30_000,
      onError: (error) => {
        const cause =
          error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        process.emitWarning(
          `${error instanceof Error ? error.message : String(error)}${cause}`,
          'VigilAnalyticsWarning',
        );
      },
    });
    analytics.start();
    cleanup.push(() => analytics.stop());
    const api = await createApi({ store, tokens, logger: options.logger ?? false });
    const url = await api.listen({
      port: options.api?.port ?? DEFAULT_API_PORT,
      host: options.api?.host ?? '127.0.0.1',
    });
    cleanup.push(() => api.close());
    let stopped: Promise<void> | undefined;
    return {
      store,
      hub,
      devices,
      api,
      analytics,
      threatIntel,
      url,
      firstAdminToken,
      stop: () => (stopped ??= unwind()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
