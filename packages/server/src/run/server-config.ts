import { readFile } from 'node:fs/promises';
import { DEFAULT_HUB_LIMITS } from '@vigil/hub';
import type { Violation } from '../api/errors.js';
import { readThreatIntelSettings, type ThreatIntelSettings } from '../threat-intel/index.js';
import { DEFAULT_API_PORT } from './start-server.js';
import {
  ANALYTICS_ENVIRONMENT,
  checkAnalyticsSettings,
  DEFAULT_ANALYTICS_SETTINGS,
  type AnalyticsSettings,
} from './analytics-settings.js';

/** Everything `vigil serve` can be configured with (file, environment, flags; later ones win). */
export interface ServerSettings extends AnalyticsSettings {
  readonly dataDir: string;
  readonly postgresUrl?: string;
  readonly hostName: string;
  readonly apiHost: string;
  readonly apiPort: number;
  /** MQTT over TLS; `off` turns the listener off, 0 picks a free port. */
  readonly mqttsPort: number | 'off';
  /** MQTT over secure WebSocket; `off` turns the listener off, 0 picks a free port. */
  readonly wssPort: number | 'off';
  /** Plain MQTT for loopback development; off (undefined) unless set. */
  readonly mqttPort?: number;
  /**
   * Open device connections the hub accepts on each listener (default 10,000, at most 1,000,000);
   * more are closed at once. Each is one socket: the process's open-file limit must allow them too.
   */
  readonly maxConnections: number;
  /** Threat-intel feeds declared in the configuration file (file only: no environment variable or flag). */
  readonly threatIntel?: ThreatIntelSettings;
}

/** The defaults: data in `./.vigil/data`, API on loopback, IoT Hub's ports. */
export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  dataDir: '.vigil/data',
  hostName: 'localhost',
  apiHost: '127.0.0.1',
  apiPort: DEFAULT_API_PORT,
  mqttsPort: 8883,
  wssPort: 443,
  maxConnections: DEFAULT_HUB_LIMITS.maxConnections,
  ...DEFAULT_ANALYTICS_SETTINGS,
};

/** Environment variables and the setting each one sets. */
export const SERVER_ENVIRONMENT: Readonly<Record<string, keyof ServerSettings>> = {
  VIGIL_DATA_DIR: 'dataDir',
  VIGIL_POSTGRES_URL: 'postgresUrl',
  VIGIL_HOST_NAME: 'hostName',
  VIGIL_API_HOST: 'apiHost',
  VIGIL_API_PORT: 'apiPort',
  VIGIL_MQTTS_PORT: 'mqttsPort',
  VIGIL_WSS_PORT: 'wssPort',
  VIGIL_MQTT_PORT: 'mqttPort',
  VIGIL_MAX_CONNECTIONS: 'maxConnections',
  ...ANALYTICS_ENVIRONMENT,
};

/** The hub's own bound on `limits.maxConnections` (packages/hub config/validate.ts). */
const MAX_CONNECTIONS_CEILING = 1_000_000;

const PORTS = new Set<keyof ServerSettings>(['apiPort', 'mqttsPort', 'wssPort', 'mqttPort']);
const KNOWN = new Set<string>(
  Object.keys(DEFAULT_SERVER_SETTINGS).concat(['postgresUrl', 'mqttPort', 'threatIntel']),
);

/** A configuration that cannot be used: every violation, each naming where it came from. */
export class ServerConfigError extends Error {
  override readonly name = 'ServerConfigError';
  readonly violations: readonly Violation[];

  constructor(violations: readonly Violation[]) {
    super(
      `the configuration has ${violations.length} problem(s):\n${violations.map((v) => `  ${v.path}: ${v.message}`).join('\n')}`,
    );
    this.violations = violations;
  }
}

type RawSettings = Partial<Record<keyof ServerSettings, unknown>>;

/**
 * Merges the defaults, an optional JSON file, `VIGIL_*` environment variables and flags (in that
 * order of precedence), validates the result and lists every problem at once.
 */
export async function resolveServerSettings(sources: {
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly flags?: RawSettings;
}): Promise<ServerSettings> {
  const violations: Violation[] = [];
  const layers: { origin: string; values: RawSettings }[] = [];
  if (sources.file !== undefined) {
    try {
      const parsed: unknown = JSON.parse(await readFile(sources.file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        violations.push({ path: sources.file, message: 'must hold a JSON object' });
      } else {
        for (const key of Object.keys(parsed)) {
          if (!KNOWN.has(key))
            violations.push({
              path: `${sources.file}: ${key}`,
              message: `is not a setting (known: ${[...KNOWN].join(', ')})`,
            });
        }
        layers.push({ origin: sources.file, values: parsed });
      }
    } catch (error) {
      violations.push({ path: sources.file, message: `cannot be read as JSON: ${(error as Error).message}` });
    }
  }
  const fromEnv: RawSettings = {};
  for (const [variable, key] of Object.entries(SERVER_ENVIRONMENT)) {
    const value = sources.env?.[variable];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  layers.push({ origin: 'environment', values: fromEnv }, { origin: 'flags', values: sources.flags ?? {} });

  const merged: Record<string, unknown> = { ...DEFAULT_SERVER_SETTINGS };
  const originOf: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (value === undefined) continue;
      merged[key] = value;
      originOf[key] = layer.origin;
    }
  }
  for (const key of PORTS) {
    const value = merged[key];
    if (value === undefined || (value === 'off' && key !== 'apiPort')) continue;
    const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
      violations.push({
        path: `${originOf[key] ?? 'defaults'}: ${key}`,
        message: `must be a port number from 0 to 65535${key === 'apiPort' ? '' : ' or off'} (got ${JSON.stringify(value)})`,
      });
    } else merged[key] = port;
  }
  for (const key of ['dataDir', 'hostName', 'apiHost'] as const) {
    if (typeof merged[key] !== 'string' || merged[key] === '') {
      violations.push({ path: `${originOf[key] ?? 'defaults'}: ${key}`, message: 'must be non-empty text' });
    }
  }
  const connections = merged.maxConnections;
  const maxConnections =
    typeof connections === 'string' && /^\d{1,7}$/.test(connections) ? Number(connections) : connections;
  if (
    typeof maxConnections !== 'number' ||
    !Number.isInteger(maxConnections) ||
    maxConnections < 1 ||
    maxConnections > MAX_CONNECTIONS_CEILING
  ) {
    violations.push({
      path: `${originOf.maxConnections ?? 'defaults'}: maxConnections`,
      message: `must be a whole number of connections from 1 to ${MAX_CONNECTIONS_CEILING} (got ${JSON.stringify(connections)})`,
    });
  } else merged.maxConnections = maxConnections;
  const url = merged.postgresUrl;
  if (url !== undefined && (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url))) {
    violations.push({
      path: `${originOf.postgresUrl ?? 'defaults'}: postgresUrl`,
      message: 'must look like postgres://user@host:5432/database',
    });
  }
  if (merged.threatIntel !== undefined) {
    merged.threatIntel = readThreatIntelSettings(
      merged.threatIntel,
      originOf.threatIntel ?? 'defaults',
      violations,
    );
  }
  if (merged.mqttsPort === 'off' && merged.wssPort === 'off' && merged.mqttPort === undefined) {
    violations.push({
      path: 'listeners',
      message: 'at least one device listener (mqttsPort, wssPort or mqttPort) must be on',
    });
  }
  checkAnalyticsSettings(merged, originOf, violations);
  if (violations.length > 0) throw new ServerConfigError(violations);
  return merged as unknown as ServerSettings;
}
