import type { Store } from '@vigil/storage';
import type { DeviceService } from '../contract/index.js';

/** Where one listener binds. Port 0 picks a free port (tests); `hub.addresses` reports the real one. */
export interface ListenerOptions {
  readonly port?: number;
  /** Interface to bind; `0.0.0.0` for the TLS listeners, `127.0.0.1` for plain MQTT. */
  readonly host?: string;
}

/**
 * The plain-TCP listener: no TLS, so credentials travel in the clear. It binds loopback unless
 * `insecureAllowNonLoopback` says, in so many words, that the operator wants it on a network.
 */
export interface PlainListenerOptions extends ListenerOptions {
  /** Accept a non-loopback `host` (passwords and SAS tokens cross that network unencrypted). */
  readonly insecureAllowNonLoopback?: boolean;
}

/** The three ways devices reach the hub (reference/iothub-mqtt.md §1.1). */
export interface ListenersOptions {
  /** MQTT over TLS; on by default, port 8883. */
  readonly mqtts?: ListenerOptions | false;
  /** MQTT over secure WebSocket on `/$iothub/websocket`; on by default, port 443. */
  readonly wss?: ListenerOptions | false;
  /** Plain MQTT over TCP, for loopback development only; off unless given, `127.0.0.1` by default. */
  readonly mqtt?: PlainListenerOptions | false;
}

/** Bounds the gateway enforces; every one has a default (DESIGN.md "Bounded everything"). */
export interface HubLimits {
  /** Largest D2C body: 256 KiB, as IoT Hub (reference/iothub-mqtt.md §3.1). */
  readonly maxMessageBytes: number;
  /** Largest MQTT packet read at all; bigger frames close the connection before they are buffered. */
  readonly maxPacketBytes: number;
  /** Longest publish topic in characters. */
  readonly maxTopicLength: number;
  /** Longest property bag in characters, and most pairs in it. */
  readonly maxPropertyBagLength: number;
  readonly maxPropertyBagPairs: number;
  /** Durable appends one connection may have in flight; further publishes wait (edgeHub uses 16). */
  readonly maxInflightPerConnection: number;
  /** Distinct subscriptions per connection (IoT Hub allows five; reference/iothub-mqtt.md §0 item 12). */
  readonly maxSubscriptionsPerConnection: number;
  /** Time a hook (authenticate, authorize) may take before it answers with a refusal. */
  readonly hookTimeoutMs: number;
  /** Time from TCP/TLS accept to CONNECT. */
  readonly connectTimeoutMs: number;
  /** Open connections on each listener; more are closed at once. */
  readonly maxConnections: number;
}

/** Options of {@link createHub}; everything but `dataDir` has a default. */
export interface HubOptions {
  /** Where the database (unless `store` is given) and generated TLS material live. */
  readonly dataDir: string;
  /** The hub's host name: in SAS resource URIs, usernames and the generated server certificate. */
  readonly hostName?: string;
  /** Other names accepted in SAS resource URIs (and put in the generated certificate). */
  readonly alternativeHostNames?: readonly string[];
  readonly listeners?: ListenersOptions;
  /** Server certificate and key (PEM); generated into `<dataDir>/tls` when absent. */
  readonly tls?: {
    readonly certificatePem: string;
    readonly privateKeyPem: string;
    readonly caCertificatePem?: string;
  };
  readonly limits?: Partial<HubLimits>;
  /** Clock skew tolerated on SAS expiry (edgeHub: 300 s). */
  readonly sasClockSkewSeconds?: number;
  /**
   * How long an identity (or shared access policy) read at connect may be reused; default 1000 ms,
   * 0: never (concurrent lookups still share one read). Changes made through this hub's registry
   * and settings forget the cached answer at once; the TTL bounds how long a change made by another
   * process (another hub over the same database) can go unseen.
   */
  readonly identityCacheMs?: number;
  /**
   * Longest a connection state or last-activity update waits before it is written to the registry
   * (in one transaction with the others); default 250 ms.
   */
  readonly activityFlushMs?: number;
  /** How long the hub settings (IP filter) read at connect may be reused. */
  readonly settingsCacheMs?: number;
  /** The width of one D2C counting window (`d2cReceived` per identity and protocol). */
  readonly d2cCountWindowMs?: number;
  /** Operations-log batching: records per append, time before a partial batch goes, queue bound. */
  readonly operations?: {
    readonly batchSize?: number;
    readonly flushIntervalMs?: number;
    readonly maxQueue?: number;
  };
  /** An open store to use (the hub then does not close it); otherwise SQLite under `dataDir`. */
  readonly store?: Store;
  /** Device services (twins, methods, C2D) to route device requests to. */
  readonly services?: readonly DeviceService[];
}

/** {@link HubOptions} after validation: defaults applied, frozen. */
export interface HubConfig {
  readonly dataDir: string;
  readonly hostName: string;
  readonly hostNames: readonly string[];
  readonly listeners: {
    readonly mqtts: Required<ListenerOptions> | null;
    readonly wss: Required<ListenerOptions> | null;
    readonly mqtt: Required<ListenerOptions> | null;
  };
  readonly tls: HubOptions['tls'] | null;
  readonly limits: HubLimits;
  readonly sasClockSkewSeconds: number;
  readonly identityCacheMs: number;
  readonly activityFlushMs: number;
  readonly settingsCacheMs: number;
  readonly d2cCountWindowMs: number;
  readonly operations: {
    readonly batchSize: number;
    readonly flushIntervalMs: number;
    readonly maxQueue: number;
  };
}

/** The defaults, from IoT Hub's documented limits where it has them. */
export const DEFAULT_HUB_LIMITS: HubLimits = Object.freeze({
  maxMessageBytes: 256 * 1024,
  maxPacketBytes: 256 * 1024 + 32 * 1024,
  maxTopicLength: 16 * 1024,
  maxPropertyBagLength: 8192,
  maxPropertyBagPairs: 128,
  maxInflightPerConnection: 16,
  maxSubscriptionsPerConnection: 5,
  hookTimeoutMs: 10_000,
  connectTimeoutMs: 30_000,
  maxConnections: 10_000,
});

/** Default ports (reference/iothub-mqtt.md §1.1); plain MQTT has no IoT Hub port, 1883 is MQTT's. */
export const DEFAULT_PORTS = Object.freeze({ mqtts: 8883, wss: 443, mqtt: 1883 });
