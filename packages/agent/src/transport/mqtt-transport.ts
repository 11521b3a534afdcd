/**
 * The agent's transport: security messages to the hub over MQTT in the IoT Hub dialect, as a device
 * or as the `azureiotsecurity` module (reference/azure-security-module.md §2.5), published at QoS 1
 * on `devices/{d}[/modules/{m}]/messages/events/{bag}` (reference/iothub-mqtt.md §3.1) and
 * acknowledged by PUBACK; plus the twin. It is the core's `Sender`: `send` resolves only once the
 * hub has the message durably, and `isConnected` drives the §1.4 state machine.
 */
import { buildD2cTopic, type PropertyBagInput } from '@vigil/protocol';
import {
  silentLogger,
  type Clock,
  type CoreLogger,
  type OutgoingMessage,
  type Random,
  type Sender,
} from '../core/index.js';
import type { BackoffPolicy } from './backoff.js';
import { connectionSettings, type ConnectionSettings } from './connection-settings.js';
import { createMqttConnection, type ConnectionStats, type TransportTls } from './mqtt-connection.js';
import type { MqttWire, MqttWireHandlers, MqttWireOptions } from './mqtt-wire.js';
import { createTwinClient, type TwinClient } from './twin-client.js';

/** The module id of the security module (reference/azure-security-module.md §2.5). */
export const SECURITY_MODULE_ID = 'azureiotsecurity';

/** Options for {@link createMqttTransport}. */
export interface MqttTransportOptions {
  /** A device or module connection string (`HostName=…;DeviceId=…[;ModuleId=…];SharedAccessKey=…`). */
  readonly connectionString: string;
  /** Overrides the connection string's module id; its key must then be that module's. */
  readonly moduleId?: string;
  /** For `x509=true`: the device certificate and key (PEM). */
  readonly certificatePem?: string;
  readonly privateKeyPem?: string;
  readonly tls: TransportTls;
  /** Property bag of every security message (the output profile's). */
  readonly properties: PropertyBagInput;
  readonly clock: Clock;
  readonly random?: Random;
  readonly backoff?: BackoffPolicy;
  readonly keepaliveSeconds?: number;
  readonly connectTimeoutMs?: number;
  readonly sasTokenTtlSeconds?: number;
  readonly sasRenewalMarginSeconds?: number;
  readonly publishTimeoutMs?: number;
  readonly twinRequestTimeoutMs?: number;
  readonly productInfo?: string;
  readonly logger?: CoreLogger;
  readonly dial?: (options: MqttWireOptions, handlers: MqttWireHandlers) => MqttWire;
}

/** The transport: the core's sender, the twin, and the connection's life. */
export interface MqttTransport extends Sender {
  readonly settings: Omit<ConnectionSettings, 'credential'>;
  readonly twin: TwinClient;
  start(): void;
  stop(): Promise<void>;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  stats(): ConnectionStats;
}

/** Creates the transport; it dials on `start()`. Throws `MALFORMED_CONNECTION_STRING` up front. */
export function createMqttTransport(options: MqttTransportOptions): MqttTransport {
  const logger = options.logger ?? silentLogger;
  const settings = connectionSettings({
    connectionString: options.connectionString,
    ...(options.moduleId === undefined ? {} : { moduleId: options.moduleId }),
    ...(options.certificatePem === undefined ? {} : { certificatePem: options.certificatePem }),
    ...(options.privateKeyPem === undefined ? {} : { privateKeyPem: options.privateKeyPem }),
    ...(options.productInfo === undefined ? {} : { productInfo: options.productInfo }),
  });
  const topic = buildD2cTopic({
    deviceId: settings.deviceId,
    ...(settings.moduleId === undefined ? {} : { moduleId: settings.moduleId }),
    properties: options.properties,
  });
  // The twin publishes through the connection, which is created next; a late-bound reference.
  const channel = { publish: (t: string, p: string, q: 0 | 1) => connection.publish(t, p, q) };
  const twin = createTwinClient({
    channel,
    clock: options.clock,
    ...(options.twinRequestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.twinRequestTimeoutMs }),
  });
  const connection = createMqttConnection({
    settings,
    tls: options.tls,
    clock: options.clock,
    logger,
    subscriptions: () => twin.subscriptions,
    onMessage: (t, payload) => {
      if (!twin.handleMessage(t, payload)) logger.log('debug', 'hub message ignored', { topic: t });
    },
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.keepaliveSeconds === undefined ? {} : { keepaliveSeconds: options.keepaliveSeconds }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    ...(options.sasTokenTtlSeconds === undefined ? {} : { sasTokenTtlSeconds: options.sasTokenTtlSeconds }),
    ...(options.sasRenewalMarginSeconds === undefined
      ? {}
      : { sasRenewalMarginSeconds: options.sasRenewalMarginSeconds }),
    ...(options.publishTimeoutMs === undefined ? {} : { publishTimeoutMs: options.publishTimeoutMs }),
    ...(options.dial === undefined ? {} : { dial: options.dial }),
  });
  connection.onConnectionChange((up) => {
    if (!up) twin.failAll('the hub connection closed');
  });
  const { credential: _credential, ...publicSettings } = settings;
  return {
    settings: publicSettings,
    twin,
    start: () => connection.start(),
    stop: () => connection.stop(),
    onConnectionChange: (listener) => connection.onConnectionChange(listener),
    stats: () => connection.stats(),
    send: (message: OutgoingMessage) => connection.publish(topic, message.body, 1),
    isConnected: () => connection.connected,
  };
}
