import { BlockList, isIP } from 'node:net';
import { HubError, type HubViolation } from '../errors/index.js';
import {
  DEFAULT_HUB_LIMITS,
  DEFAULT_PORTS,
  type HubConfig,
  type HubLimits,
  type HubOptions,
  type ListenerOptions,
  type PlainListenerOptions,
} from './hub-options.js';

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

type Check = (path: string, message: string) => void;

function integer(value: unknown, path: string, min: number, max: number, problem: Check): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problem(path, `must be a whole number from ${min} to ${max}`);
    return min;
  }
  return value;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for an address only this machine reaches: 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

function listener(
  value: ListenerOptions | false | undefined,
  path: string,
  defaultPort: number,
  onByDefault: boolean,
  problem: Check,
  defaultHost = '0.0.0.0',
): Required<ListenerOptions> | null {
  if (value === false || (value === undefined && !onByDefault)) return null;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    problem(path, 'must be an object ({ port, host }) or false');
    return null;
  }
  const port =
    value?.port === undefined ? defaultPort : integer(value.port, `${path}.port`, 0, 65535, problem);
  const host = value?.host ?? defaultHost;
  if (typeof host !== 'string' || host === '') problem(`${path}.host`, 'must be a non-empty string');
  return { port, host };
}

/** Plain MQTT is loopback development only (the issue; no IoT Hub port has it) unless opted in. */
function plainListener(
  value: PlainListenerOptions | false | undefined,
  problem: Check,
): Required<ListenerOptions> | null {
  const resolved = listener(value, 'listeners.mqtt', DEFAULT_PORTS.mqtt, false, problem, '127.0.0.1');
  if (resolved === null || typeof value !== 'object') return resolved;
  const optIn = value.insecureAllowNonLoopback;
  if (optIn !== undefined && typeof optIn !== 'boolean') {
    problem('listeners.mqtt.insecureAllowNonLoopback', 'must be true or false');
  } else if (typeof resolved.host === 'string' && !isLoopbackHost(resolved.host) && optIn !== true) {
    problem(
      'listeners.mqtt.host',
      `plain MQTT sends credentials unencrypted and binds loopback only (got ${JSON.stringify(resolved.host)}); ` +
        'set listeners.mqtt.insecureAllowNonLoopback to true to bind it elsewhere',
    );
  }
  return resolved;
}

function limits(given: Partial<HubLimits> | undefined, problem: Check): HubLimits {
  const merged = { ...DEFAULT_HUB_LIMITS, ...given };
  const bound = (key: keyof HubLimits, min: number, max: number): number =>
    integer(merged[key], `limits.${key}`, min, max, problem);
  const result: HubLimits = {
    maxMessageBytes: bound('maxMessageBytes', 1, 256 * 1024),
    maxPacketBytes: bound('maxPacketBytes', 1024, 16 * 1024 * 1024),
    maxTopicLength: bound('maxTopicLength', 64, 65535),
    maxPropertyBagLength: bound('maxPropertyBagLength', 0, 65535),
    maxPropertyBagPairs: bound('maxPropertyBagPairs', 0, 10_000),
    maxInflightPerConnection: bound('maxInflightPerConnection', 1, 65535),
    maxSubscriptionsPerConnection: bound('maxSubscriptionsPerConnection', 1, 100),
    hookTimeoutMs: bound('hookTimeoutMs', 100, 120_000),
    connectTimeoutMs: bound('connectTimeoutMs', 100, 600_000),
    maxConnections: bound('maxConnections', 1, 1_000_000),
  };
  if (result.maxPacketBytes < result.maxMessageBytes) {
    problem('limits.maxPacketBytes', 'must be at least limits.maxMessageBytes');
  }
  return result;
}

/**
 * Validates hub options once at start: applies defaults, reports every violation with its path in
 * one `INVALID_CONFIG` error, and returns the frozen configuration.
 */
export function resolveHubConfig(options: HubOptions): HubConfig {
  const violations: HubViolation[] = [];
  const problem: Check = (path, message) => void violations.push({ path, message });
  if (typeof options.dataDir !== 'string' || options.dataDir === '') {
    problem('dataDir', 'must be a non-empty path');
  }
  const hostName = options.hostName ?? 'localhost';
  const alternatives = options.alternativeHostNames ?? [];
  for (const [index, name] of [hostName, ...alternatives].entries()) {
    if (typeof name !== 'string' || !HOST_NAME.test(name)) {
      problem(
        index === 0 ? 'hostName' : `alternativeHostNames[${index - 1}]`,
        'must be a DNS host name (no port)',
      );
    }
  }
  const given = options.listeners ?? {};
  const listeners = {
    mqtts: listener(given.mqtts, 'listeners.mqtts', DEFAULT_PORTS.mqtts, true, problem),
    wss: listener(given.wss, 'listeners.wss', DEFAULT_PORTS.wss, true, problem),
    mqtt: plainListener(given.mqtt, problem),
  };
  if (!listeners.mqtts && !listeners.wss && !listeners.mqtt)
    problem('listeners', 'at least one listener must be on');
  if (options.tls !== undefined) {
    if (
      typeof options.tls.certificatePem !== 'string' ||
      !options.tls.certificatePem.includes('BEGIN CERTIFICATE')
    ) {
      problem('tls.certificatePem', 'must be a PEM certificate');
    }
    if (typeof options.tls.privateKeyPem !== 'string' || !options.tls.privateKeyPem.includes('PRIVATE KEY')) {
      problem('tls.privateKeyPem', 'must be a PEM private key');
    }
  }
  const ops = options.operations ?? {};
  const config: HubConfig = {
    dataDir: options.dataDir,
    hostName,
    hostNames: [hostName, ...alternatives],
    listeners,
    tls: options.tls ?? null,
    limits: limits(options.limits, problem),
    sasClockSkewSeconds: integer(options.sasClockSkewSeconds ?? 300, 'sasClockSkewSeconds', 0, 3600, problem),
    identityCacheMs: integer(options.identityCacheMs ?? 1000, 'identityCacheMs', 0, 60_000, problem),
    activityFlushMs: integer(options.activityFlushMs ?? 250, 'activityFlushMs', 1, 60_000, problem),
    settingsCacheMs: integer(options.settingsCacheMs ?? 1000, 'settingsCacheMs', 0, 60_000, problem),
    d2cCountWindowMs: integer(
      options.d2cCountWindowMs ?? 60_000,
      'd2cCountWindowMs',
      100,
      3_600_000,
      problem,
    ),
    operations: {
      batchSize: integer(ops.batchSize ?? 256, 'operations.batchSize', 1, 1000, problem),
      flushIntervalMs: integer(ops.flushIntervalMs ?? 50, 'operations.flushIntervalMs', 1, 60_000, problem),
      maxQueue: integer(ops.maxQueue ?? 10_000, 'operations.maxQueue', 1, 1_000_000, problem),
    },
  };
  if (violations.length > 0) {
    const summary = violations.map((v) => `${v.path} ${v.message}`).join('; ');
    throw new HubError('INVALID_CONFIG', `hub options: ${summary}`, { violations });
  }
  return Object.freeze(config);
}
