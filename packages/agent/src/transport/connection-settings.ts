/**
 * From a device or module connection string to what MQTT CONNECT needs, in the IoT Hub dialect
 * (reference/iothub-mqtt.md §1.2–§1.4): where to dial (`GatewayHostName` or `HostName`, default
 * port 8883), client id `{deviceId}[/{moduleId}]`, the username with `api-version`, and the
 * credential — a SAS token signed with the symmetric key (renewed by the connection before it
 * expires), a fixed token, or an X.509 certificate (no password).
 */
import {
  deviceResourceUri,
  generateSasToken,
  parseConnectionString,
  parseSasToken,
  ProtocolError,
} from '@vigil/protocol';

/** The api-version the Node SDK sends (reference/iothub-mqtt.md §1.2). */
export const IOT_HUB_API_VERSION = '2021-04-12';

/** How the agent proves its identity. */
export type TransportCredential =
  | { readonly kind: 'sas-key'; readonly key: string; readonly policyName?: string }
  | { readonly kind: 'sas-token'; readonly token: string; readonly expiresAt: number }
  | { readonly kind: 'x509'; readonly certificatePem: string; readonly privateKeyPem: string };

/** Everything the MQTT connection needs besides TLS trust. */
export interface ConnectionSettings {
  /** `HostName` as written: the hub's name in the username and the SAS resource. */
  readonly hubHostName: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  /** Where the socket goes. */
  readonly host: string;
  readonly port: number;
  readonly clientId: string;
  readonly username: string;
  readonly credential: TransportCredential;
}

/** Options for {@link connectionSettings}. */
export interface ConnectionSettingsOptions {
  readonly connectionString: string;
  /** For `x509=true` connection strings. */
  readonly certificatePem?: string;
  readonly privateKeyPem?: string;
  /** Overrides the module id of the connection string (`azureiotsecurity` for the security module). */
  readonly moduleId?: string;
  /** `DeviceClientType` product text. */
  readonly productInfo?: string;
  /** Port when the host names none: 8883 for MQTT over TLS. */
  readonly defaultPort?: number;
}

function splitHost(text: string, defaultPort: number): { host: string; port: number } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { host: text, port: defaultPort };
  return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
}

/** Parses the connection string; throws `MALFORMED_CONNECTION_STRING` with every problem. */
export function connectionSettings(options: ConnectionSettingsOptions): ConnectionSettings {
  const parsed = parseConnectionString(options.connectionString);
  if (parsed.kind === 'hub-policy' || parsed.kind === 'hub-sas') {
    throw new ProtocolError(
      'MALFORMED_CONNECTION_STRING',
      'connection string: the agent needs a device or module connection string (DeviceId is missing)',
      { violations: [{ path: 'DeviceId', message: 'DeviceId is missing' }] },
    );
  }
  const moduleId = options.moduleId ?? parsed.moduleId;
  let credential: TransportCredential;
  if (parsed.kind === 'device-key') {
    credential = {
      kind: 'sas-key',
      key: parsed.sharedAccessKey,
      ...(parsed.sharedAccessKeyName === undefined ? {} : { policyName: parsed.sharedAccessKeyName }),
    };
  } else if (parsed.kind === 'device-sas') {
    const token = parseSasToken(parsed.sharedAccessSignature);
    credential = { kind: 'sas-token', token: parsed.sharedAccessSignature, expiresAt: token.expiresAt };
  } else {
    if (options.certificatePem === undefined || options.privateKeyPem === undefined) {
      throw new ProtocolError(
        'MALFORMED_CONNECTION_STRING',
        'connection string: x509=true needs a certificate and key',
        {
          violations: [{ path: 'x509', message: 'x509=true needs a certificate and a private key file' }],
        },
      );
    }
    credential = {
      kind: 'x509',
      certificatePem: options.certificatePem,
      privateKeyPem: options.privateKeyPem,
    };
  }
  const clientId = moduleId === undefined ? parsed.deviceId : `${parsed.deviceId}/${moduleId}`;
  const product = encodeURIComponent(options.productInfo ?? 'vigil-agent');
  const dial = splitHost(parsed.gatewayHostName ?? parsed.hostName, options.defaultPort ?? 8883);
  return {
    hubHostName: parsed.hostName,
    deviceId: parsed.deviceId,
    ...(moduleId === undefined ? {} : { moduleId }),
    host: dial.host,
    port: dial.port,
    clientId,
    // §1.2: `{host}/{clientId}/?api-version=…&DeviceClientType=…`, host exactly as in the string.
    username: `${parsed.hostName}/${clientId}/?api-version=${IOT_HUB_API_VERSION}&DeviceClientType=${product}`,
    credential,
  };
}

/** A password for one CONNECT and when it stops working (epoch seconds; undefined: never, X.509). */
export interface Password {
  readonly password?: string;
  readonly expiresAt?: number;
}

/** The CONNECT password: a fresh SAS token valid `ttlSeconds` from `nowMs`, the fixed token, or none. */
export function connectPassword(settings: ConnectionSettings, nowMs: number, ttlSeconds: number): Password {
  const credential = settings.credential;
  switch (credential.kind) {
    case 'sas-key': {
      const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
      const password = generateSasToken({
        resourceUri: deviceResourceUri(settings.hubHostName, settings.deviceId, settings.moduleId),
        key: credential.key,
        expiresAt,
        ...(credential.policyName === undefined ? {} : { policyName: credential.policyName }),
      });
      return { password, expiresAt };
    }
    case 'sas-token':
      return { password: credential.token, expiresAt: credential.expiresAt };
    case 'x509':
      return {};
  }
}
