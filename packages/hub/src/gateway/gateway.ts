import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import type { Store } from '@vigil/storage';
import { createAuthenticator, createAuthLookups } from '../auth/index.js';
import type { HubConfig } from '../config/index.js';
import type { DeviceChannel, DeviceService, OperationsSink } from '../contract/index.js';
import { FrameRejectedError, type ConnectionContext } from '../listeners/index.js';
import { authorizeForwardHook, createDeviceChannel, watchAcknowledgements } from './channel.js';
import { authenticateHook, preConnectHook } from './connect-hooks.js';
import { notifySubscribed, watchLifecycle } from './lifecycle.js';
import { createActivityWriter } from './activity-writer.js';
import { createD2cCounter } from './d2c-counter.js';
import { Revocations } from './revocations.js';
import { ExpirySchedule } from './expiry-schedule.js';
import { authorizePublishHook } from './publish-hook.js';
import { type Session, SessionRegistry } from './session.js';
import type { D2cRejectionReason } from './reasons.js';
import { recordFor, type GatewayState } from './state.js';
import { authorizeSubscribeHook } from './subscribe-hook.js';

/** Connection state updates written in one transaction at most (a connect storm's batch). */
const ACTIVITY_BATCH_SIZE = 1000;

/** The MQTT side of the hub: Aedes with Vigil's hooks, sessions and the device channel. */
export interface Gateway {
  readonly channel: DeviceChannel;
  readonly sessions: SessionRegistry;
  /** Hands a listener's connection to the broker. */
  handleConnection(connection: Duplex, context: ConnectionContext): void;
  /** Adds a device service (twins, methods, C2D); it receives requests from then on. */
  use(service: DeviceService): void;
  /** Forgets cached registry answers (after an identity or the IP filter changed). */
  invalidate(): void;
  /** Writes pending connection state and activity to the registry. */
  flushActivity(): Promise<void>;
  /** Refuses new connections, closes every session, waits for appends, reports open D2C counts. */
  close(): Promise<void>;
}

/** Assembles the gateway over an open store; the listeners feed it connections. */
export async function createGateway(options: {
  readonly config: HubConfig;
  readonly store: Store;
  readonly operations: OperationsSink;
  readonly services?: readonly DeviceService[];
  readonly now?: () => number;
  readonly warn?: (message: string, error?: unknown) => void;
}): Promise<Gateway> {
  const now = options.now ?? Date.now;
  const { config, store } = options;
  const lookups = createAuthLookups({
    store,
    identityCacheMs: config.identityCacheMs,
    settingsCacheMs: config.settingsCacheMs,
    now,
  });
  const warn = options.warn ?? (() => undefined);
  const state: GatewayState = {
    config,
    store,
    sessions: new SessionRegistry(),
    operations: options.operations,
    activity: createActivityWriter({
      identities: store.identities,
      flushMs: config.activityFlushMs,
      batchSize: ACTIVITY_BATCH_SIZE,
      maxPending: Math.max(ACTIVITY_BATCH_SIZE, 2 * config.limits.maxConnections),
      warn,
    }),
    counter: createD2cCounter({ operations: options.operations, windowMs: config.d2cCountWindowMs, now }),
    lookups,
    revocations: new Revocations(),
    expiry: new ExpirySchedule<Session>(now, (session) => {
      session.closeReason = 'sasExpired';
      session.client.close();
    }),
    authenticator: createAuthenticator({
      lookups,
      certificates: store.certificates,
      hostNames: config.hostNames,
      clockSkewSeconds: config.sasClockSkewSeconds,
      now,
    }),
    services: [...(options.services ?? [])],
    now,
    contexts: new WeakMap(),
    outbound: new WeakMap(),
    appends: new Set(),
    accepting: true,
    warn,
  };
  const broker = await Aedes.createBroker({
    id: 'vigil-hub',
    connectTimeout: config.limits.connectTimeoutMs,
    maxClientsIdLength: 257,
    preConnect: preConnectHook(state),
    authenticate: authenticateHook(state),
    authorizePublish: authorizePublishHook(state),
    authorizeSubscribe: authorizeSubscribeHook(state),
    authorizeForward: authorizeForwardHook(state),
  });
  const failDeliveries = watchAcknowledgements(
    state,
    (broker as unknown as { persistence: Parameters<typeof watchAcknowledgements>[1] }).persistence,
  );
  watchLifecycle(state, broker, failDeliveries);
  broker.on('subscribe', (subscriptions, client) => {
    const session = state.sessions.ofClient(client);
    if (session === undefined || !session.ready) return;
    const granted = subscriptions
      .filter((s) => (s.qos as number) !== 128)
      .map((s) => session.subscriptions.get(s.topic));
    notifySubscribed(
      state,
      session,
      granted.filter((f) => f !== undefined),
    );
  });
  broker.on('clientError', (client, error) => {
    const session = state.sessions.ofClient(client);
    if (session === undefined || !(error instanceof FrameRejectedError)) return;
    // The frame guard closed a connection before the packet was read (an oversized publish or garbage).
    recordFor(state, session, {
      operation: 'd2cRejected',
      outcome: 'failure',
      reason: (error.announcedBytes === null
        ? 'malformedPacket'
        : 'packetTooLarge') satisfies D2cRejectionReason,
      details: { protocol: session.protocol, message: error.message, limit: config.limits.maxPacketBytes },
    });
  });
  broker.on('unsubscribe', (topics, client) => {
    const session = state.sessions.ofClient(client);
    // Aedes also "unsubscribes" a closing client; the session is gone by then anyway.
    if (session !== undefined && !client.closed) for (const topic of topics) session.revoke(topic);
  });
  return {
    channel: createDeviceChannel(state),
    sessions: state.sessions,
    handleConnection(connection, context) {
      state.contexts.set(connection, context);
      broker.handle(connection);
    },
    use(service) {
      state.services.push(service);
    },
    invalidate: () => lookups.forget(),
    flushActivity: () => state.activity.flush(),
    async close() {
      state.accepting = false;
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      state.expiry.close();
      await Promise.allSettled([...state.appends]);
      // Every session's disconnect is noted by now (broker.close ended them): write it before the store closes.
      await state.activity.close();
      state.counter.close();
      await Promise.allSettled(state.services.map((s) => s.close?.() ?? Promise.resolve()));
    },
  };
}
