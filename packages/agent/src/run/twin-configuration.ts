/**
 * The `azureiotsecurity` module twin's SecurityAgentConfiguration (reference/azure-security-module.md
 * §2.5) ↔ the core's configuration. This is the seam where remote configuration is read: a
 * {@link TwinConfigurationCodec}. The agent's default codec is the one over `@vigil/protocol`'s
 * twin-config (protocol-twin-codec.ts); the interim codec below, written before twin-config landed,
 * stays as a self-contained alternative covering the §2.5 keys the core acts on.
 *
 * Rules kept from §2.5: every property is `{ "value": … }` (a bare value is a TypeMismatch), a
 * missing or null property means the default, priorities match case-insensitively, durations are
 * ISO-8601; `maxMessageSizeInBytes` not a multiple of 4096 is NotOptimal (applied), a message size
 * above the cache size or a High frequency above the Low one is a Conflict (rejected), as is any
 * TypeMismatch: the whole update is refused and the last good configuration stays.
 */
import type { ConfigurationErrorEntry } from '@vigil/protocol';
import type {
  AgentCoreConfiguration,
  AgentCoreConfigurationPatch,
  AggregatedEventName,
  EventPriority,
} from '../core/index.js';
import type { TwinObject } from '../transport/index.js';
import { formatIsoDuration, parseIsoDuration } from './iso-duration.js';

/** The desired/reported object name since July 2019 (§2.5). */
export const SECURITY_AGENT_CONFIGURATION_OBJECT = 'ms_iotn:urn_azureiot_Security_SecurityAgentConfiguration';

/**
 * One rejected or questionable setting, as a ConfigurationError item says it; without
 * `usedConfiguration` the effective configuration is reported as used.
 */
export type ConfigurationProblem = Omit<ConfigurationErrorEntry, 'usedConfiguration' | 'extraDetails'> & {
  readonly usedConfiguration?: string;
};

/** What a codec makes of a desired configuration object. */
export interface TwinConfigurationReading {
  /** The core settings the object asks for, every known key included (missing keys → `base`). */
  readonly patch: AgentCoreConfigurationPatch;
  readonly problems: readonly ConfigurationProblem[];
  /** The whole update was refused (last good configuration kept); default: any problem but NotOptimal. */
  readonly rejected?: boolean;
}

/** Reads desired configuration and writes reported configuration. */
export interface TwinConfigurationCodec {
  /** The property name of the configuration object in desired and reported. */
  readonly objectName: string;
  read(section: unknown, base: AgentCoreConfiguration): TwinConfigurationReading;
  /** The effective configuration in the reported form (`{value}` wrapped, all keys). */
  report(config: AgentCoreConfiguration): TwinObject;
}

/** Event names with an `eventPriority<Name>` key (§2.5). */
const PRIORITY_NAMES = [
  'ConnectedHardware',
  'ListeningPorts',
  'ProcessCreate',
  'ProcessTerminate',
  'SystemInformation',
  'LocalUsers',
  'Login',
  'ConnectionCreate',
  'FirewallConfiguration',
  'OSBaseline',
  'Diagnostic',
  'ConfigurationError',
  'DroppedEventsStatistics',
  'MessageStatistics',
] as const;
const AGGREGATED: readonly AggregatedEventName[] = ['ProcessCreate', 'ConnectionCreate', 'ProcessTerminate'];

type Reader = <T>(key: string, parse: (value: unknown) => T | undefined, expected: string) => T | undefined;

function sectionReader(section: unknown, problems: ConfigurationProblem[]): Reader {
  const object =
    typeof section === 'object' && section !== null && !Array.isArray(section)
      ? (section as Record<string, unknown>)
      : {};
  if (section !== undefined && section !== null && object !== section) {
    problems.push({
      configurationName: 'TwinConfiguration',
      errorType: 'TypeMismatch',
      message: 'the configuration is not an object',
    });
  }
  return (key, parse, expected) => {
    const wrapped = object[key];
    if (wrapped === undefined || wrapped === null) return undefined;
    const value =
      typeof wrapped === 'object' && !Array.isArray(wrapped)
        ? (wrapped as { value?: unknown }).value
        : wrapped;
    if (typeof wrapped !== 'object' || Array.isArray(wrapped)) {
      problems.push({
        configurationName: key,
        errorType: 'TypeMismatch',
        message: `${key} must be {"value": ${expected}}`,
      });
      return undefined;
    }
    if (value === undefined || value === null) return undefined;
    const parsed = parse(value);
    if (parsed === undefined) {
      problems.push({
        configurationName: key,
        errorType: 'TypeMismatch',
        message: `${key}.value must be ${expected}, not ${JSON.stringify(value)}`,
      });
    }
    return parsed;
  };
}

const duration = (v: unknown) => (typeof v === 'string' ? parseIsoDuration(v) : undefined);
const integer = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
const boolean = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
const priority = (v: unknown): EventPriority | undefined => {
  if (typeof v !== 'string') return undefined;
  return ({ high: 'High', low: 'Low', off: 'Off' } as const)[v.toLowerCase() as 'high' | 'low' | 'off'];
};

function read(section: unknown, base: AgentCoreConfiguration): TwinConfigurationReading {
  const problems: ConfigurationProblem[] = [];
  const get = sectionReader(section, problems);
  const high =
    get('highPriorityMessageFrequency', duration, 'an ISO-8601 duration') ??
    base.highPriorityMessageFrequencyMs;
  const low =
    get('lowPriorityMessageFrequency', duration, 'an ISO-8601 duration') ??
    base.lowPriorityMessageFrequencyMs;
  const snapshot = get('snapshotFrequency', duration, 'an ISO-8601 duration') ?? base.statisticsFrequencyMs;
  const cache =
    get('maxLocalCacheSizeInBytes', integer(8192, 2 ** 31), 'an integer ≥ 8192') ??
    base.maxLocalCacheSizeInBytes;
  const message =
    get('maxMessageSizeInBytes', integer(8192, 262_144), 'an integer from 8192 to 262144') ??
    base.maxMessageSizeInBytes;
  const eventPriorities: Record<string, EventPriority> = {};
  for (const name of PRIORITY_NAMES) {
    eventPriorities[name] =
      get(`eventPriority${name}`, priority, '"High", "Low" or "Off"') ?? base.eventPriorities[name] ?? 'Low';
  }
  const aggregation: Partial<Record<AggregatedEventName, { enabled: boolean; intervalMs: number }>> = {};
  for (const name of AGGREGATED) {
    aggregation[name] = {
      enabled: get(`aggregationEnabled${name}`, boolean, 'true or false') ?? base.aggregation[name].enabled,
      intervalMs:
        get(`aggregationInterval${name}`, duration, 'an ISO-8601 duration') ??
        base.aggregation[name].intervalMs,
    };
  }
  if (message % 4096 !== 0) {
    problems.push({
      configurationName: 'maxMessageSizeInBytes',
      errorType: 'NotOptimal',
      message: `${message} is not a multiple of 4096`,
    });
  }
  if (message > cache) {
    problems.push({
      configurationName: 'maxLocalCacheSizeInBytes',
      errorType: 'Conflict',
      message: `maxMessageSizeInBytes ${message} is above maxLocalCacheSizeInBytes ${cache}`,
    });
  }
  if (high > low) {
    problems.push({
      configurationName: 'highPriorityMessageFrequency',
      errorType: 'Conflict',
      message: 'highPriorityMessageFrequency is longer than lowPriorityMessageFrequency',
    });
  }
  return {
    patch: {
      highPriorityMessageFrequencyMs: high,
      lowPriorityMessageFrequencyMs: low,
      statisticsFrequencyMs: snapshot,
      maxLocalCacheSizeInBytes: cache,
      maxMessageSizeInBytes: message,
      eventPriorities,
      aggregation,
    },
    problems,
  };
}

function report(config: AgentCoreConfiguration): TwinObject {
  const out: Record<string, { value: unknown }> = {
    highPriorityMessageFrequency: { value: formatIsoDuration(config.highPriorityMessageFrequencyMs) },
    lowPriorityMessageFrequency: { value: formatIsoDuration(config.lowPriorityMessageFrequencyMs) },
    snapshotFrequency: { value: formatIsoDuration(config.statisticsFrequencyMs) },
    maxLocalCacheSizeInBytes: { value: config.maxLocalCacheSizeInBytes },
    maxMessageSizeInBytes: { value: config.maxMessageSizeInBytes },
    hubResourceId: { value: '' },
  };
  for (const name of PRIORITY_NAMES)
    out[`eventPriority${name}`] = { value: config.eventPriorities[name] ?? 'Low' };
  for (const name of AGGREGATED) {
    out[`aggregationEnabled${name}`] = { value: config.aggregation[name].enabled };
    out[`aggregationInterval${name}`] = { value: formatIsoDuration(config.aggregation[name].intervalMs) };
  }
  return out;
}

/** The interim §2.5 codec (see the file comment). */
export const interimTwinConfigurationCodec: TwinConfigurationCodec = Object.freeze({
  objectName: SECURITY_AGENT_CONFIGURATION_OBJECT,
  read,
  report,
});
