import { openSqliteStore, type Store } from '@vigil/storage';
import { resolveHubConfig, type HubConfig, type HubOptions } from '../config/index.js';
import type { DeviceChannel, DeviceService, OperationsSink } from '../contract/index.js';
import { HubError } from '../errors/index.js';
import { createGateway, type Gateway } from '../gateway/index.js';
import { startListeners, type ListenerAddresses, type Listeners } from '../listeners/index.js';
import { createOperationsSink, type IngestOperationsSink } from '../operations/index.js';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../tls/index.js';

/** A running (or startable) hub. */
export interface Hub {
  readonly config: HubConfig;
  readonly store: Store;
  /** Where hub parts report operations (connects, auth failures, twin updates, …). */
  readonly operations: OperationsSink & Pick<IngestOperationsSink, 'stats'>;
  /** How device services reach devices. */
  readonly channel: DeviceChannel;
  /** The trust anchor to hand devices (`client.setOptions({ ca })`). */
  readonly caCertificatePem: string;
  /** The bound ports; every listener null before `start()`. */
  readonly addresses: ListenerAddresses;
  /** Adds a device service; usable before or after `start()`. */
  use(service: DeviceService): void;
  /** Forgets cached registry answers (call after changing an identity or the IP filter). */
  invalidate(): void;
  /**
   * Writes the connection state and last activity noted so far to the registry (they are written
   * in batches, at most `activityFlushMs` late); resolves once committed.
   */
  flushActivity(): Promise<void>;
  /** Binds the listeners. */
  start(): Promise<void>;
  /**
   * Graceful stop: stops accepting, closes sessions, waits for in-flight appends, reports open D2C
   * counts, flushes the operations log, closes services and (if the hub opened it) the store.
   */
  stop(): Promise<void>;
}

/**
 * Builds the hub: validates options, opens the store (SQLite under `dataDir` unless one is given),
 * loads or generates TLS material, and assembles the gateway. Call `start()` to listen.
 */
export async function createHub(options: HubOptions): Promise<Hub> {
  const config = resolveHubConfig(options);
  const warn = (message: string, error?: unknown): void => {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    process.emitWarning(`${message}${detail}`, 'VigilHubWarning');
  };
  const tls: TlsMaterial = await loadOrCreateTlsMaterial({
    dataDir: config.dataDir,
    hostNames: config.hostNames,
    configured: config.tls,
  });
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await openSqliteStore({ dataDir: config.dataDir }));
  const operations = createOperationsSink({
    store,
    ...config.operations,
    onError: (error) => warn('cannot write operations', error),
  });
  let gateway: Gateway;
  try {
    gateway = await createGateway({ config, store, operations, services: options.services ?? [], warn });
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  let listeners: Listeners | undefined;
  let state: 'created' | 'running' | 'stopped' = 'created';
  return {
    config,
    store,
    operations,
    channel: gateway.channel,
    caCertificatePem: tls.caCertificatePem,
    get addresses(): ListenerAddresses {
      return listeners?.addresses ?? { mqtts: null, wss: null, mqtt: null };
    },
    use: (service) => gateway.use(service),
    invalidate: () => gateway.invalidate(),
    flushActivity: () => gateway.flushActivity(),
    async start() {
      if (state !== 'created') throw new HubError('NOT_RUNNING', `the hub cannot start: it is ${state}`);
      listeners = await startListeners({
        config,
        tls,
        onConnection: (connection, context) => gateway.handleConnection(connection, context),
      });
      state = 'running';
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      const closing = listeners?.close();
      await gateway.close();
      await closing;
      await operations.close();
      if (ownsStore) await store.close();
    },
  };
}
