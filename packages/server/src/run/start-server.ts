import { openPostgresStore, openSqliteStore, type Store, type ThreatIntelFeedConfig } from '@vigil/storage';
import {
  createDeviceServices,
  createHub,
  serviceApiPlugin,
  SERVICE_API_PREFIX,
  type DeviceServices,
  type Hub,
  type HubLimits,
  type ListenersOptions,
} from '@vigil/hub';
import {
  createAlertExporter,
  createAnalyticsRunner,
  createFeedLoader,
  emptyAnalyticsStats,
  exportOnAlert,
  exportOnStatusChange,
  observeAlertStatus,
  toLoadRecord,
  type AlertDestination,
  type AlertExportFailure,
  type AlertExporter,
  type AnalyticsRunner,
  type FeedLoader,
  type HubPostureOptions,
  type SecurityMessageDecoder,
} from '@vigil/analytics';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api/errors.js';
import { createApi } from '../api/create-api.js';
import { TokenStore } from '../auth/tokens.js';
import {
  describeError,
  forwardVigilWarnings,
  logLevelFromEnvironment,
  type LoggingOptions,
} from '../logging/index.js';
import { countConnectedIdentities, createServerMetrics } from '../metrics/index.js';
import { createFeedService, type FeedService } from '../threat-intel/index.js';

/**
 * The server's own refusals (its token check runs before every route) answered in its shape; anything
 * else is thrown on to the hub's error handler, which owns its routes' errors.
 */
function answerServerErrors(
  error: FastifyError | Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (!(error instanceof ApiError)) throw error;
  void reply
    .status(error.status)
    .send({ error: { code: error.code, message: error.message, details: error.details } });
}

/**
 * Mounts the hub's service API under `/api/hub` behind the server's tokens. The hub's routes keep
 * their own error handler, which does not know the server's `ApiError` (a 401 or 403 from the token
 * check would come out as INTERNAL), so each hub route gets a route-level handler that answers those
 * first and passes everything else on to the hub's.
 */
async function mountHubApi(app: FastifyInstance, devices: DeviceServices, store: Store): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.errorHandler ??= answerServerErrors;
    });
    await scope.register(serviceApiPlugin, {
      prefix: SERVICE_API_PREFIX,
      services: devices,
      operations: store.operations,
      externalAuth: true,
      roleOf: (request) => (request.role === 'admin' ? 'admin' : 'viewer'),
    });
  });
}

/** The exporter of the configured destinations, or none without any. */
function createExporter(
  config: ServerOptions['alertExport'],
  onError: (failure: AlertExportFailure) => void,
): AlertExporter | undefined {
  if (config === undefined || config.destinations.length === 0) return undefined;
  return createAlertExporter({ destinations: config.destinations, onError });
}

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
  /** The hub's limits (connections, message sizes, timeouts); each defaults to the hub's own. */
  readonly hubLimits?: Partial<HubLimits>;
  readonly api?: { readonly port?: number; readonly host?: string };
  /** `decodeSecurityMessage` from `@vigil/protocol`. */
  readonly decode: SecurityMessageDecoder;
  /**
   * Structured JSON logs (pino, through Fastify): on by default at `info` (or `VIGIL_LOG_LEVEL`) on
   * standard error; `false` turns them off.
   */
  readonly logger?: boolean | LoggingOptions;
  /**
   * `/metrics` needs an API token (a viewer's is enough) unless `public` is true, for scrapers on a
   * network that only trusted parties reach.
   */
  readonly metrics?: { readonly public?: boolean };
  /** How often silent devices, time-window rules and hub posture are checked (30 s by default). */
  readonly periodicChecksMs?: number;
  /**
   * Threat-intel feeds from the configuration file (`threatIntel.feeds`): written to the store at
   * start (replacing a stored feed of the same name) and read-only through the API.
   */
  readonly threatIntelFeeds?: readonly ThreatIntelFeedConfig[];
  /** Runs on the open store before anything starts (the demo registers its fleet and feed here). */
  readonly prepare?: (store: Store) => Promise<void>;
  /**
   * Alert events (created, updated, dismissed, resolved) to webhooks and syslog collectors; checked
   * at start (`AlertExportConfigError` lists every problem). On stop, what is queued gets until
   * `closeDeadlineMs` (5 s by default) to leave.
   */
  readonly alertExport?: {
    readonly destinations: readonly AlertDestination[];
    readonly closeDeadlineMs?: number;
  };
  /** Detection thresholds (docs/detections.md): device-silent time, IP-filter large range. */
  readonly detection?: {
    readonly silentAfterMs?: number;
    readonly hubPosture?: HubPostureOptions;
  };
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
  /** Feed management (what the API's feed routes call): store and running matcher kept in step. */
  readonly feeds: FeedService;
  /** The alert exporter when destinations are configured (its `stats()` per destination). */
  readonly alertExport: AlertExporter | undefined;
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
  const logging: LoggingOptions | undefined =
    options.logger === false
      ? undefined
      : {
          level: logLevelFromEnvironment() ?? 'info',
          ...(typeof options.logger === 'object' ? options.logger : {}),
        };
  // Metrics read the runner once it exists; the runner and the exporter log through the API's logger.
  const late: { analytics?: AnalyticsRunner; log?: FastifyInstance['log'] } = {};
  // First of all: a misconfigured destination stops the start (every problem listed) before any
  // data is opened. Its transports connect on first use, so there is nothing to undo if a later step fails.
  const exporter = createExporter(options.alertExport, (failure) =>
    late.log?.warn({ source: 'alert-export', ...failure }, `alert export: ${failure.reason}`),
  );
  const store =
    options.postgresUrl === undefined
      ? await openSqliteStore({ dataDir: options.dataDir })
      : await openPostgresStore({ url: options.postgresUrl, dataDir: options.dataDir });
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  if (exporter !== undefined) {
    // Closed after the API and analytics (cleanup runs in reverse), so their last events still leave.
    const deadlineMs = options.alertExport?.closeDeadlineMs ?? 5_000;
    cleanup.push(() => exporter.close({ deadlineMs }));
  }
  const unwind = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    await options.prepare?.(store);
    const tokens = await TokenStore.open(options.dataDir);
    const first = tokens.isEmpty ? await tokens.create('admin', 'first admin') : undefined;
    const firstAdminToken = first?.token;
    const hub = await createHub({
      dataDir: options.dataDir,
      store,
      ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
      ...(options.listeners === undefined ? {} : { listeners: options.listeners }),
      ...(options.hubLimits === undefined ? {} : { limits: options.hubLimits }),
    });
    const devices = createDeviceServices({
      store,
      channel: hub.channel,
      operations: hub.operations,
      hostName: hub.config.hostName,
      // The gateway's cached registry answers follow identity and IP-filter changes made through the API.
      invalidate: () => hub.invalidate(),
    });
    for (const service of devices.services) hub.use(service);
    // Unwound in reverse: the hub stops taking device traffic before its services close.
    cleanup.push(() => devices.close());
    // Metrics read the runner once it exists (it is built after the API, which gives it a logger).
    const late: { analytics?: AnalyticsRunner; log?: FastifyInstance['log'] } = {};
    const configured = options.threatIntelFeeds ?? [];
    for (const feed of configured) await store.threatIntelFeeds.put(feed);
    // Built before the API (whose feed routes change it), started after it (loads log through it).
    const threatIntel = createFeedLoader({
      feeds: await store.threatIntelFeeds.list(),
      onLoad: (report) => {
        store.threatIntelFeeds.recordLoad(report.feed, toLoadRecord(report)).catch((error: unknown) => {
          late.log?.warn(
            { feed: report.feed },
            `threat intel: cannot record a feed load: ${describeError(error)}`,
          );
        });
        if (!report.ok)
          late.log?.warn(
            { feed: report.feed, code: report.error?.code, keptLastGood: report.keptLastGood },
            `threat intel: feed ${report.feed} did not load: ${report.error?.message ?? ''}`,
          );
      },
    });
    const feeds = createFeedService({
      store,
      loader: threatIntel,
      configured: new Set(configured.map((feed) => feed.name)),
    });
    const apiStore =
      exporter === undefined
        ? store
        : observeAlertStatus(store, exportOnStatusChange(exporter), (error) =>
            late.log?.warn({ source: 'alert-export' }, describeError(error)),
          );
    // Built before the rest starts so hub and analytics warnings have the structured log to go to.
    const api = await createApi({
      store: apiStore,
      tokens,
      ...(logging === undefined ? {} : { logging }),
      // The hub's service API (registry, twins, methods, C2D, settings, operations) behind the same tokens.
      extend: (app) => mountHubApi(app, devices, store),
      threatIntel: feeds,
      metrics: {
        public: options.metrics?.public === true,
        collect: createServerMetrics({
          store,
          connections: countConnectedIdentities(store, hub.channel),
          operations: () => hub.operations.stats(),
          analytics: () => late.analytics?.stats() ?? emptyAnalyticsStats(),
          ...(exporter === undefined ? {} : { alertExport: () => exporter.stats() }),
        }),
      },
    });
    cleanup.push(() => api.close());
    const log = api.log;
    late.log = log;
    if (first !== undefined) {
      // The secret itself goes to whoever started the server (`vigil serve` prints it once), never the log.
      log.info(
        {
          audit: 'token.created',
          tokenId: first.record.id,
          tokenRole: 'admin',
          tokenName: first.record.name,
        },
        `first start: API token ${first.record.id} (admin) created`,
      );
    }
    const stopForwarding = forwardVigilWarnings(log);
    cleanup.push(() => Promise.resolve(stopForwarding()));
    await threatIntel.start();
    cleanup.push(() => Promise.resolve(threatIntel.stop()));
    const analytics = createAnalyticsRunner({
      store,
      decode: options.decode,
      threatIntel,
      periodicIntervalMs: options.periodicChecksMs ?? 30_000,
      ...(options.detection?.silentAfterMs === undefined
        ? {}
        : { silentAfterMs: options.detection.silentAfterMs }),
      ...(options.detection?.hubPosture === undefined ? {} : { hubPosture: options.detection.hubPosture }),
      ...(exporter === undefined ? {} : { onAlert: exportOnAlert(exporter) }),
      onError: (error) => log.warn({ source: 'analytics' }, describeError(error)),
    });
    late.analytics = analytics;
    analytics.start();
    cleanup.push(() => analytics.stop());
    // Last to start, first to stop: no device traffic arrives before analytics runs or after it drains.
    await hub.start();
    cleanup.push(() => hub.stop());
    const url = await api.listen({
      port: options.api?.port ?? DEFAULT_API_PORT,
      host: options.api?.host ?? '127.0.0.1',
    });
    log.info(
      {
        url,
        dataDir: options.dataDir,
        database: options.postgresUrl === undefined ? 'sqlite' : 'postgres',
        listeners: hub.addresses,
        metricsPublic: options.metrics?.public === true,
        // Destination names only (kind, host, path): headers and secrets stay out of the log.
        alertExport: exporter?.stats().map((entry) => entry.destination) ?? [],
      },
      'vigil started',
    );
    let stopped: Promise<void> | undefined;
    return {
      store,
      hub,
      devices,
      api,
      analytics,
      threatIntel,
      feeds,
      alertExport: exporter,
      url,
      firstAdminToken,
      stop: () =>
        (stopped ??= (async () => {
          log.info('vigil stopping: hub first, then analytics drains, then the API and the database');
          const started = Date.now();
          await unwind();
          log.info({ durationMs: Date.now() - started }, 'vigil stopped');
        })()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
