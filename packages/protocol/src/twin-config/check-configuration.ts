/**
 * The NotOptimal and Conflict rules a security agent applies to a configuration it accepted
 * (reference/azure-security-module.md §2.5; AGENT-C `agent_configuration_error_collector.c`, AGENT-CS
 * `AgentConfigurationErrorEventGenerator.cs`). These never reject the configuration: the agents report
 * them and keep running with it. Values outside a bound are clamped into it, which the report says.
 */
import type { ConfigurationErrorEntry } from '../events/index.js';
import { formatDuration } from '../duration/index.js';
import {
  TWIN_CONFIGURATION_LIMITS as LIMITS,
  type SecurityAgentConfiguration,
  type TwinConfigurationKey,
} from './configuration.js';
import { TWIN_DURATION_KEYS } from './property-specs.js';

/** A configuration after the rules ran, and what they found. */
export interface CheckedConfiguration {
  readonly configuration: SecurityAgentConfiguration;
  readonly errors: readonly ConfigurationErrorEntry[];
}

type Mutable = { -readonly [K in keyof SecurityAgentConfiguration]: SecurityAgentConfiguration[K] };

const entry = (
  configurationName: TwinConfigurationKey,
  errorType: ConfigurationErrorEntry['errorType'],
  usedConfiguration: string,
  message: string,
): ConfigurationErrorEntry => ({ configurationName, errorType, usedConfiguration, message });

function clampDuration(config: Mutable, key: TwinConfigurationKey, errors: ConfigurationErrorEntry[]): void {
  const ms = config[key];
  if (typeof ms !== 'number') return;
  let used: number;
  let why: string;
  if (!(ms >= LIMITS.minDurationMs)) {
    used = LIMITS.minDurationMs;
    const text = Number.isFinite(ms) ? formatDuration(Math.max(0, Math.round(ms))) : String(ms);
    why = `${text} is shorter than one second`;
  } else if (ms > LIMITS.maxDurationMs) {
    used = LIMITS.maxDurationMs;
    why = 'is longer than 100 years';
  } else return;
  (config as Record<string, unknown>)[key] = used;
  const text = formatDuration(used);
  errors.push(entry(key, 'NotOptimal', text, `${key} ${why}; using ${text}`));
}

function clampSize(
  config: Mutable,
  key: 'maxMessageSizeInBytes' | 'maxLocalCacheSizeInBytes',
  min: number,
  max: number,
  errors: ConfigurationErrorEntry[],
): void {
  const value = config[key];
  if (value >= min && value <= max) return;
  const used = value < min ? min : max;
  config[key] = used;
  const bound = value < min ? `below the minimum ${min}` : `above the maximum ${max}`;
  errors.push(entry(key, 'NotOptimal', String(used), `${key} ${value} is ${bound}; using ${used}`));
}

/** Runs every NotOptimal and Conflict rule on `configuration`, returning the (clamped, frozen) result. */
export function checkConfiguration(configuration: SecurityAgentConfiguration): CheckedConfiguration {
  const config: Mutable = { ...configuration };
  const errors: ConfigurationErrorEntry[] = [];
  for (const key of TWIN_DURATION_KEYS) clampDuration(config, key, errors);
  clampSize(
    config,
    'maxMessageSizeInBytes',
    LIMITS.minMessageSizeInBytes,
    LIMITS.maxMessageSizeInBytes,
    errors,
  );
  clampSize(
    config,
    'maxLocalCacheSizeInBytes',
    LIMITS.minLocalCacheSizeInBytes,
    LIMITS.maxLocalCacheSizeInBytes,
    errors,
  );
  const size = config.maxMessageSizeInBytes;
  if (size % LIMITS.messageSizeGranularity !== 0) {
    errors.push(
      entry(
        'maxMessageSizeInBytes',
        'NotOptimal',
        String(size),
        `maxMessageSizeInBytes ${size} is not a multiple of ${LIMITS.messageSizeGranularity}`,
      ),
    );
  }
  // §2.5 names the cache as the conflicting key, and the high frequency for the frequencies.
  if (size > config.maxLocalCacheSizeInBytes) {
    const cache = config.maxLocalCacheSizeInBytes;
    errors.push(
      entry(
        'maxLocalCacheSizeInBytes',
        'Conflict',
        String(cache),
        `maxLocalCacheSizeInBytes ${cache} is smaller than maxMessageSizeInBytes ${size}`,
      ),
    );
  }
  if (config.highPriorityMessageFrequency > config.lowPriorityMessageFrequency) {
    const high = formatDuration(config.highPriorityMessageFrequency);
    const low = formatDuration(config.lowPriorityMessageFrequency);
    errors.push(
      entry(
        'highPriorityMessageFrequency',
        'Conflict',
        high,
        `highPriorityMessageFrequency ${high} is longer than lowPriorityMessageFrequency ${low}`,
      ),
    );
  }
  // Vigil's rule, in the spirit of §2.5 Conflict: custom checks need both the file and its hash.
  if (config.baselineCustomChecksEnabled) {
    const missing = (['baselineCustomChecksFilePath', 'baselineCustomChecksFileHash'] as const).filter(
      (key) => (config[key] ?? '') === '',
    );
    if (missing.length > 0) {
      errors.push(
        entry(
          'baselineCustomChecksEnabled',
          'Conflict',
          'true',
          `baselineCustomChecksEnabled is true but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so no custom checks can run`,
        ),
      );
    }
  }
  return { configuration: Object.freeze(config), errors };
}
