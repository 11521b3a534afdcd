/**
 * The agent's local configuration (reference/azure-security-module.md §2.6 describes the legacy
 * agents' files): one flat schema, read from a JSON file, the environment (`VIGIL_AGENT_*`) and
 * options, later sources winning, validated once with every violation reported by its source and
 * path, and frozen.
 */

/** Everything the local configuration can set. All optional here; see {@link AgentSettings}. */
export interface AgentSettingsInput {
  /** Device or module connection string (the security module is the `azureiotsecurity` module, §2.5). */
  readonly connectionString?: string;
  /** Module id overriding the connection string's (the key must be that module's). */
  readonly moduleId?: string;
  /** X.509 device certificate and key files (PEM), for `x509=true` connection strings. */
  readonly certificateFile?: string;
  readonly privateKeyFile?: string;
  /** CA file (PEM) the hub's server certificate must chain to; default the system's roots. */
  readonly caFile?: string;
  /** `mqtts` (default; port 8883) or `mqtt` (plain TCP, loopback development only). */
  readonly transport?: 'mqtts' | 'mqtt';
  /** Output profile: `json-1.0` (Linux/Edge, default) or `flatbuffers-2.3` (RTOS). */
  readonly profile?: 'json-1.0' | 'flatbuffers-2.3';
  /** Where the disk buffer and the agent id live. */
  readonly dataDir?: string;
  /** The agent's GUID (`AgentId`); default one generated once and kept in `dataDir`. */
  readonly agentId?: string;
  /** Apply the `azureiotsecurity` twin's desired configuration (default true). */
  readonly remoteConfiguration?: boolean;
  /** `Category` of aggregated JSON events: `Triggered` (schema-valid, default) or `Aggregated` (legacy). */
  readonly aggregatedCategory?: 'Triggered' | 'Aggregated';
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Collector switches by id (`heartbeat: false`); unlisted collectors follow the profile's default. */
  readonly collectors?: Readonly<Record<string, boolean>>;
  /** Interval of each priority group, seconds (RTOS defaults 10 / 30 / 60, §1.3). */
  readonly priorityIntervalsSeconds?: Readonly<Partial<Record<'High' | 'Medium' | 'Low', number>>>;
  /** Base of the randomized first collection, seconds (§1.3: 30). */
  readonly firstCollectionSeconds?: number;
  /** PENDING → SUSPENDED after this many seconds without a hub (§1.4: 300). */
  readonly pendingTimeSeconds?: number;
  /** How often High and Low messages are sent, seconds (twin defaults PT7M / PT5H, §2.5). */
  readonly highPriorityMessageFrequencySeconds?: number;
  readonly lowPriorityMessageFrequencySeconds?: number;
  readonly maxLocalCacheSizeInBytes?: number;
  readonly maxMessageSizeInBytes?: number;
  /** Cap of the disk buffer directory in bytes. */
  readonly diskBufferMaxBytes?: number;
  /** Flow objects per IP family in the cache (§1.5: 64). */
  readonly maxFlowsInCache?: number;
  /** The Docker engine's unix socket the containers collector asks (default /var/run/docker.sock). */
  readonly dockerSocket?: string;
  /** The IoT Edge deployment (manifest or `$edgeAgent` twin JSON) the edge-deployment collector reads. */
  readonly edgeDeploymentFile?: string;
}

/** Kinds of values, for parsing text (environment) and checking JSON. */
type FieldKind =
  | { readonly type: 'string' }
  | { readonly type: 'boolean' }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly integer: boolean }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'map'; readonly keys?: readonly string[]; readonly value: FieldKind };

const text: FieldKind = { type: 'string' };
const seconds = (min: number): FieldKind => ({ type: 'number', min, max: 31_536_000, integer: false });
const bytes = (min: number, max = 2 ** 40): FieldKind => ({ type: 'number', min, max, integer: true });

/** The schema: every key and how it is checked. */
export const AGENT_SETTINGS_SCHEMA: Readonly<Record<keyof AgentSettingsInput, FieldKind>> = Object.freeze({
  connectionString: text,
  moduleId: text,
  certificateFile: text,
  privateKeyFile: text,
  caFile: text,
  transport: { type: 'enum', values: ['mqtts', 'mqtt'] },
  profile: { type: 'enum', values: ['json-1.0', 'flatbuffers-2.3'] },
  dataDir: text,
  agentId: text,
  remoteConfiguration: { type: 'boolean' },
  aggregatedCategory: { type: 'enum', values: ['Triggered', 'Aggregated'] },
  logLevel: { type: 'enum', values: ['debug', 'info', 'warn', 'error'] },
  collectors: { type: 'map', value: { type: 'boolean' } },
  priorityIntervalsSeconds: { type: 'map', keys: ['High', 'Medium', 'Low'], value: seconds(1) },
  firstCollectionSeconds: seconds(0),
  pendingTimeSeconds: seconds(1),
  highPriorityMessageFrequencySeconds: seconds(1),
  lowPriorityMessageFrequencySeconds: seconds(1),
  maxLocalCacheSizeInBytes: bytes(8192),
  maxMessageSizeInBytes: bytes(1024, 262_144),
  diskBufferMaxBytes: bytes(65_536),
  maxFlowsInCache: bytes(1, 1_000_000),
  dockerSocket: text,
  edgeDeploymentFile: text,
});

/** The local configuration after validation: defaults applied where the agent needs a value. */
export interface AgentSettings extends AgentSettingsInput {
  readonly connectionString: string;
  readonly transport: 'mqtts' | 'mqtt';
  readonly profile: 'json-1.0' | 'flatbuffers-2.3';
  readonly dataDir: string;
  readonly remoteConfiguration: boolean;
  readonly aggregatedCategory: 'Triggered' | 'Aggregated';
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Defaults of the keys {@link AgentSettings} always has. */
export const DEFAULT_AGENT_SETTINGS = Object.freeze({
  transport: 'mqtts',
  profile: 'json-1.0',
  dataDir: '/var/lib/vigil-agent',
  remoteConfiguration: true,
  aggregatedCategory: 'Triggered',
  logLevel: 'info',
} as const);

/** The environment variable of a key: `dataDir` → `VIGIL_AGENT_DATA_DIR`. */
export function environmentName(key: string): string {
  return `VIGIL_AGENT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Checks one value against its kind; returns the problem or undefined. */
export function fieldProblem(kind: FieldKind, value: unknown): string | undefined {
  switch (kind.type) {
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : 'must be non-empty text';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value)
        ? undefined
        : `must be one of ${kind.values.join(', ')}`;
    case 'number': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= kind.min &&
        value <= kind.max &&
        (!kind.integer || Number.isInteger(value));
      return ok
        ? undefined
        : `must be ${kind.integer ? 'an integer' : 'a number'} from ${kind.min} to ${kind.max}`;
    }
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : 'must be an object';
  }
}

/** Parses environment text into the kind's JSON value (undefined when it cannot). */
export function parseEnvironmentValue(kind: FieldKind, raw: string): unknown {
  switch (kind.type) {
    case 'string':
    case 'enum':
      return raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'number':
      return raw.trim() === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
    case 'map': {
      // `heartbeat=false,logins=true`
      const out: Record<string, unknown> = {};
      for (const pair of raw.split(',').filter((p) => p.trim() !== '')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) return raw;
        out[pair.slice(0, eq).trim()] = parseEnvironmentValue(kind.value, pair.slice(eq + 1).trim());
      }
      return out;
    }
  }
}

export type { FieldKind };
