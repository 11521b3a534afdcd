/**
 * One logical MQTT connection to the hub, kept up for the agent's whole life: MQTT 3.1.1 with
 * `clean=false` like every official SDK (reference/iothub-mqtt.md §1.2, §0 item 3), a fresh SAS
 * token per CONNECT, a planned reconnect before the token expires (IoT Hub drops a connection
 * whose token expired, §1.3), and after any loss a reconnect with bounded exponential backoff and
 * jitter. Each attempt is a fresh MQTT session (mqtt-wire.ts) with a fresh password; subscriptions
 * are renewed after every CONNACK.
 */
import { isIP } from 'node:net';
import { silentLogger, type Clock, type CoreLogger, type Random, type Timer } from '../core/index.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { connectPassword, type ConnectionSettings } from './connection-settings.js';
import { dialMqtt, type MqttWire, type MqttWireHandlers, type MqttWireOptions } from './mqtt-wire.js';

/** TLS trust for the hub's certificate; `false` dials plain MQTT (loopback development only). */
export type TransportTls = { readonly caPem?: string } | false;

/** Options for {@link createMqttConnection}. */
export interface MqttConnectionOptions {
  readonly settings: ConnectionSettings;
  readonly tls: TransportTls;
  readonly clock: Clock;
  readonly random?: Random;
  readonly backoff?: BackoffPolicy;
  /** MQTT keep-alive; the C SDK and NetX Duo use 240 s (reference/iothub-mqtt.md §1.2). */
  readonly keepaliveSeconds?: number;
  readonly connectTimeoutMs?: number;
  /** Lifetime of generated SAS tokens and how long before expiry to reconnect (Node SDK: 3600 / 900 s). */
  readonly sasTokenTtlSeconds?: number;
  readonly sasRenewalMarginSeconds?: number;
  /** A PUBLISH not acknowledged within this time fails (the connection is probably dead). */
  readonly publishTimeoutMs?: number;
  /** Filters to subscribe after every CONNACK. */
  readonly subscriptions?: () => readonly string[];
  readonly onMessage?: (topic: string, payload: Buffer) => void;
  readonly logger?: CoreLogger;
  /** Opens one session; {@link dialMqtt} unless a test stands in. */
  readonly dial?: (options: MqttWireOptions, handlers: MqttWireHandlers) => MqttWire;
}

/** Counters of the connection, for status output and tests. */
export interface ConnectionStats {
  readonly connects: number;
  readonly failedAttempts: number;
  readonly tokenRenewals: number;
  readonly lastError?: string;
}

/** The connection. */
export interface MqttConnection {
  /** Starts dialling; returns at once. */
  start(): void;
  /** Closes the connection and stops reconnecting; pending publishes fail. */
  stop(): Promise<void>;
  readonly connected: boolean;
  /** Publishes; QoS 1 resolves on PUBACK. Rejects at once when not connected. */
  publish(topic: string, payload: Uint8Array | string, qos: 0 | 1): Promise<void>;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  stats(): ConnectionStats;
}

/** Creates the connection; nothing happens until `start()`. */
export function createMqttConnection(options: MqttConnectionOptions): MqttConnection {
  const { settings, clock } = options;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const ttl = options.sasTokenTtlSeconds ?? 3600;
  const margin = Math.min(options.sasRenewalMarginSeconds ?? 900, Math.floor(ttl / 2));
  const publishTimeoutMs = options.publishTimeoutMs ?? 60_000;
  const dial = options.dial ?? dialMqtt;
  const listeners = new Set<(connected: boolean) => void>();
  const pending = new Set<(error: Error) => void>();
  let client: MqttWire | undefined;
  let connected = false;
  let stopped = true;
  let renewing = false;
  let attempt = 0;
  let retryTimer: Timer | undefined;
  let renewTimer: Timer | undefined;
  let closedWaiter: (() => void) | undefined;
  const stats = { connects: 0, failedAttempts: 0, tokenRenewals: 0 } as {
    connects: number;
    failedAttempts: number;
    tokenRenewals: number;
    lastError?: string;
  };

  const notify = (value: boolean): void => {
    for (const listener of listeners) listener(value);
  };

  function wireOptions(password: string | undefined): MqttWireOptions {
    const tls = options.tls;
    const credential = settings.credential;
    return {
      host: settings.host,
      port: settings.port,
      tls:
        tls === false
          ? false
          : {
              ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
              ...(tls.caPem === undefined ? {} : { ca: tls.caPem }),
              ...(credential.kind === 'x509'
                ? { cert: credential.certificatePem, key: credential.privateKeyPem }
                : {}),
            },
      clientId: settings.clientId,
      username: settings.username,
      ...(password === undefined ? {} : { password }),
      clean: false,
      keepaliveSeconds: options.keepaliveSeconds ?? 240,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    };
  }

  function failPending(reason: string): void {
    const error = new Error(reason);
    for (const reject of [...pending]) reject(error);
    pending.clear();
  }

  function scheduleRetry(): void {
    const delay = backoffDelay(policy, attempt, random);
    attempt += 1;
    logger.log('info', 'hub connection: retrying', { inMs: delay, attempt });
    retryTimer = clock.setTimer(dialNow, delay);
  }

  function armRenewal(expiresAt: number | undefined): void {
    if (expiresAt === undefined || settings.credential.kind !== 'sas-key') return;
    const delay = Math.max(1_000, (expiresAt - margin) * 1000 - clock.now());
    renewTimer = clock.setTimer(() => {
      // A planned reconnect with a fresh token (reference/iothub-mqtt.md §1.3); no backoff.
      stats.tokenRenewals += 1;
      renewing = true;
      client?.end(false);
    }, delay);
  }

  function dialNow(): void {
    retryTimer = undefined;
    if (stopped) return;
    const credential = connectPassword(settings, clock.now(), ttl);
    // The handlers run only after `dialMqtt` returned (socket events), so `wire` is set by then.
    const handlers: MqttWireHandlers = {
      connect() {
        if (client !== wire) return;
        connected = true;
        attempt = 0;
        stats.connects += 1;
        armRenewal(credential.expiresAt);
        for (const filter of options.subscriptions?.() ?? []) {
          wire.subscribe(filter, 0, (error) => {
            if (error)
              logger.log('warn', 'hub connection: subscribe failed', { filter, reason: error.message });
          });
        }
        logger.log('info', 'hub connection: connected', { host: settings.host, port: settings.port });
        notify(true);
      },
      message: (topic, payload) => options.onMessage?.(topic, payload),
      error(error) {
        stats.lastError = error.message;
      },
      close() {
        if (client !== wire) return;
        client = undefined;
        renewTimer?.cancel();
        failPending('the hub connection closed before the message was acknowledged');
        const was = connected;
        connected = false;
        if (!was) stats.failedAttempts += 1;
        if (was) {
          logger.log('warn', 'hub connection: lost', { reason: stats.lastError ?? 'closed' });
          notify(false);
        }
        closedWaiter?.();
        if (stopped) return;
        if (renewing) {
          renewing = false;
          dialNow();
        } else scheduleRetry();
      },
    };
    const wire = dial(wireOptions(credential.password), handlers);
    client = wire;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      dialNow();
    },
    async stop() {
      stopped = true;
      retryTimer?.cancel();
      renewTimer?.cancel();
      const c = client;
      if (c === undefined) return;
      await new Promise<void>((resolve) => {
        closedWaiter = resolve;
        c.end(false);
        // A hub that never closes its side after DISCONNECT must not hold up shutdown.
        setTimeout(() => c.end(true), 2_000).unref();
      });
    },
    get connected() {
      return connected;
    },
    publish(topic, payload, qos) {
      const c = client;
      if (c === undefined || !connected) return Promise.reject(new Error('not connected to the hub'));
      return new Promise<void>((resolve, reject) => {
        const timer = clock.setTimer(() => fail(new Error('no PUBACK in time')), publishTimeoutMs);
        const fail = (error: Error): void => {
          timer.cancel();
          pending.delete(fail);
          reject(error);
        };
        pending.add(fail);
        c.publish(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, qos, (error) => {
          if (error) return fail(error);
          timer.cancel();
          pending.delete(fail);
          resolve();
        });
      });
    },
    onConnectionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({ ...stats }),
  };
}
