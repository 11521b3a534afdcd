import { Option } from 'commander';
import {
  deviceResourceUri,
  generateSasToken,
  parseConnectionString,
  symmetricKeyProblem,
} from '@vigil/protocol';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';

const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 365 * 24 * 3600;
/** The API version the official SDKs put in the MQTT username (reference/iothub-mqtt.md §1.2). */
const MQTT_API_VERSION = '2021-04-12';

interface SasTokenOptions {
  readonly connectionString?: string;
  readonly host?: string;
  readonly device?: string;
  readonly module?: string;
  readonly key?: string;
  readonly policy?: string;
  readonly ttl: string;
  readonly mqtt?: boolean;
}

interface SigningIdentity {
  readonly host: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly key: string;
  /** Set when `key` is a hub-level shared access policy's: the token then carries `skn`. */
  readonly policyName?: string;
}

/**
 * `vigil sas-token`: signs a SAS token for a device or module, from its connection string or from its
 * parts, so a plain MQTT client (`mosquitto_pub`, mqtt.js) can connect as that identity.
 */
export const registerSasTokenCommand: RegisterCommand = (program, io) => {
  program
    .command('sas-token')
    .description('sign a SAS token (and the MQTT credentials) for a device or module')
    .option(
      '--connection-string <text>',
      "the identity's connection string (HostName=…;DeviceId=…;SharedAccessKey=…)",
    )
    .option('--host <name>', 'the hub host name (instead of a connection string)')
    .option('--device <id>', 'the device id')
    .option('--module <id>', 'the module id, for a module identity')
    .option('--key <base64>', "the identity's symmetric key (or the --policy's key)")
    .option(
      '--policy <name>',
      'sign with a shared access policy granting DeviceConnect (SharedAccessKeyName)',
    )
    .addOption(
      new Option('--ttl <seconds>', 'how long the token is valid').default(String(DEFAULT_TTL_SECONDS)),
    )
    .option('--mqtt', 'print the client id, username and password an MQTT client connects with')
    .action((options: SasTokenOptions) => {
      const identity = readIdentity(options);
      const token = generateSasToken({
        resourceUri: deviceResourceUri(identity.host, identity.deviceId, identity.moduleId),
        key: identity.key,
        ...(identity.policyName === undefined ? {} : { policyName: identity.policyName }),
        expiresAt: io.nowSeconds() + readTtl(options.ttl),
      });
      if (options.mqtt !== true) {
        io.stdout(`${token}\n`);
        return;
      }
      const clientId =
        identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
      io.stdout(
        `client id: ${clientId}\n` +
          `username:  ${identity.host}/${clientId}/?api-version=${MQTT_API_VERSION}\n` +
          `password:  ${token}\n`,
      );
    });
};

function readIdentity(options: SasTokenOptions): SigningIdentity {
  if (options.connectionString !== undefined) {
    const parsed = parseConnectionString(options.connectionString);
    if (parsed.kind !== 'device-key') {
      throw new UsageError(
        `the connection string must carry a SharedAccessKey for a device or module (it is a ${parsed.kind} string)`,
      );
    }
    return {
      host: parsed.hostName,
      deviceId: parsed.deviceId,
      ...(parsed.moduleId === undefined ? {} : { moduleId: parsed.moduleId }),
      key: parsed.sharedAccessKey,
      // A device string with SharedAccessKeyName is signed with that policy's key: the hub needs `skn`
      // to know which key to check (reference/iothub-mqtt.md §1.3), as the SDK sends it.
      ...(parsed.sharedAccessKeyName === undefined
        ? options.policy === undefined
          ? {}
          : { policyName: options.policy }
        : { policyName: parsed.sharedAccessKeyName }),
    };
  }
  const { host, device, key } = options;
  if (host === undefined || device === undefined || key === undefined) {
    const missing = (['host', 'device', 'key'] as const).filter((name) => options[name] === undefined);
    throw new UsageError(
      `give --connection-string, or all of --host, --device and --key (missing: ${missing.map((name) => `--${name}`).join(', ')})`,
    );
  }
  const keyProblem = symmetricKeyProblem(key);
  if (keyProblem !== undefined) throw new UsageError(`--key: ${keyProblem}`);
  return {
    host,
    deviceId: device,
    ...(options.module === undefined ? {} : { moduleId: options.module }),
    key,
    ...(options.policy === undefined ? {} : { policyName: options.policy }),
  };
}

function readTtl(value: string): number {
  const ttl = Number(value);
  if (!/^\d+$/.test(value) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw new UsageError(
      `--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (got "${value}")`,
    );
  }
  return ttl;
}
