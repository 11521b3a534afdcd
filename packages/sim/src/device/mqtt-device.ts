import mqtt, { type MqttClient } from 'mqtt';
import { buildD2cTopic, deviceResourceUri, generateSasToken } from '@vigil/protocol';
import type { OutgoingMessage } from '../behaviour/behaviour.js';

/** The API version the official SDKs put in the MQTT username (reference/iothub-mqtt.md §1.2). */
const API_VERSION = '2021-04-12';
const SAS_TTL_SECONDS = 3600;
/** The SUBACK return code of a refused subscription (MQTT 3.1.1 §3.9.3). */
export const SUBACK_FAILURE = 128;

/** Where and how a simulated device connects. */
export interface HubEndpoint {
  /** `mqtts://host:port` (or `mqtt://` for a loopback development listener). */
  readonly url: string;
  /** The hub host name that SAS tokens and usernames name (IoT Hub's `HostName`). */
  readonly hostName: string;
  /** The hub's CA certificate (PEM), the trust anchor for TLS. */
  readonly ca?: string;
}

/** A device identity with a symmetric key. */
export interface SimulatedIdentity {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly key: string;
}

/** One simulated device's live MQTT connection, speaking the IoT Hub dialect as the SDKs do. */
export interface MqttDevice {
  /** Publishes at QoS 1; resolves once the hub acknowledged (PUBACK), rejects when it refused. */
  publish(message: OutgoingMessage): Promise<void>;
  /**
   * Publishes raw bytes to any topic at QoS 0 (the unauthorized-topics scenario: the hub refuses
   * another identity's topic by closing the connection, so there would be no PUBACK to wait for).
   */
  publishToTopic(topic: string, body: Uint8Array): Promise<void>;
  /** Subscribes at QoS 1; resolves with the granted QoS, 128 when the hub refused (SUBACK 0x80). */
  subscribe(filter: string): Promise<number>;
  /** Resolves once the connection is gone (closed by either side). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Options beyond the identity: what to tamper with for the credential attack scenarios. */
export interface ConnectOptions {
  /** Sign with this key instead of the identity's (a forged token). */
  readonly signingKey?: string;
  /** Token expiry relative to now, seconds (negative: an expired token). */
  readonly ttlSeconds?: number;
  readonly connectTimeoutMs?: number;
}

/**
 * Connects as a device or module with a SAS token as password, client id `device[/module]` and the
 * IoT Hub username; no automatic reconnect (the fleet decides).
 */
export async function connectMqttDevice(
  endpoint: HubEndpoint,
  identity: SimulatedIdentity,
  options: ConnectOptions = {},
): Promise<MqttDevice> {
  const clientId =
    identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
  const password = generateSasToken({
    resourceUri: deviceResourceUri(endpoint.hostName, identity.deviceId, identity.moduleId),
    key: options.signingKey ?? identity.key,
    expiresAt: Math.floor(Date.now() / 1000) + (options.ttlSeconds ?? SAS_TTL_SECONDS),
  });
  const client = await new Promise<MqttClient>((resolve, reject) => {
    const candidate = mqtt.connect(endpoint.url, {
      clientId,
      username: `${endpoint.hostName}/${clientId}/?api-version=${API_VERSION}&DeviceClientType=vigil-sim%2F0.1.0`,
      password,
      protocolVersion: 4,
      clean: false,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }),
      rejectUnauthorized: true,
    });
    candidate.once('connect', () => resolve(candidate));
    candidate.once('error', (error) => {
      candidate.end(true);
      reject(error);
    });
    candidate.once('close', () => reject(new Error(`${clientId}: connection closed before CONNACK`)));
  });
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  return {
    closed,
    publishToTopic: async (topic, body) => {
      await client.publishAsync(topic, Buffer.from(body), { qos: 0 });
    },
    subscribe: async (filter) => {
      try {
        const granted = await client.subscribeAsync(filter, { qos: 1 });
        return granted[0]?.qos ?? SUBACK_FAILURE;
      } catch (error) {
        // mqtt.js rejects a SUBACK failure code (with the SUBACK attached) instead of returning it.
        const granted = (error as { packet?: { granted?: unknown[] } }).packet?.granted;
        if (Array.isArray(granted) && granted[0] === SUBACK_FAILURE) return SUBACK_FAILURE;
        throw error;
      }
    },
    publish: async (message) => {
      const topic = buildD2cTopic({
        deviceId: identity.deviceId,
        ...(identity.moduleId === undefined ? {} : { moduleId: identity.moduleId }),
        properties: message.properties,
      });
      await client.publishAsync(topic, Buffer.from(message.body), { qos: 1 });
    },
    close: async () => {
      await client.endAsync();
    },
  };
}
