/** mqtt.js helpers for the hub tests: connect with IoT Hub credentials and see the CONNACK code. */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { deviceResourceUri, generateSasToken } from '@vigil/protocol';

/** A SAS token for a device or module, as the SDK makes it; `expiresAt` defaults to an hour ahead. */
export function sasToken(options: {
  readonly host: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly key: string;
  readonly expiresAt?: number;
}): string {
  return generateSasToken({
    resourceUri: deviceResourceUri(options.host, options.deviceId, options.moduleId),
    key: options.key,
    expiresAt: options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600,
  });
}

/** The IoT Hub username for an identity (reference/iothub-mqtt.md §1.2). */
export function iotHubUsername(host: string, clientId: string): string {
  return `${host}/${clientId}/?api-version=2021-04-12&DeviceClientType=vigil-test`;
}

/** Either a connected client or the CONNACK refusal code (undefined when the socket just closed). */
export type ConnectResult =
  | { readonly connected: true; readonly client: MqttClient }
  | { readonly connected: false; readonly returnCode: number | undefined; readonly message: string };

/** Connects over TLS to the hub on 127.0.0.1 (server name `localhost`), MQTT 3.1.1, no reconnects. */
export async function tryConnect(options: {
  readonly port: number;
  readonly ca: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly clean?: boolean;
}): Promise<ConnectResult> {
  const connectOptions: IClientOptions = {
    host: '127.0.0.1',
    port: options.port,
    protocol: 'mqtts',
    servername: 'localhost',
    ca: options.ca,
    clientId: options.clientId,
    protocolVersion: 4,
    clean: options.clean ?? false,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
  };
  try {
    return { connected: true, client: await connectAsync(connectOptions) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      connected: false,
      returnCode: typeof code === 'number' ? code : undefined,
      message: (error as Error).message,
    };
  }
}

/** Resolves once the client's connection closed. */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) resolve();
    else client.once('close', () => resolve());
  });
}
