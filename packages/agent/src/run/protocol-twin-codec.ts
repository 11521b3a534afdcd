/**
 * The twin codec over `@vigil/protocol`'s twin-config (`applyDesiredPatch`, `toTwinConfigurationDocument`):
 * the protocol package owns the §2.5 rules (`{value}` wrapping, ISO-8601 durations, TypeMismatch
 * rejecting the whole update, NotOptimal and Conflict reported and clamped), this file only maps its
 * `SecurityAgentConfiguration` to and from the core's settings. Keys missing from the desired object
 * keep the local configuration's value; keys the core does not act on (`hubResourceId`,
 * `baselineCustomChecks*`) are kept as last accepted and reported back unchanged.
 */
import {
  applyDesiredPatch,
  DEFAULT_SECURITY_AGENT_CONFIGURATION,
  toTwinConfigurationDocument,
  TWIN_AGGREGATED_EVENT_NAMES,
  TWIN_CONFIGURATION_PROPERTY,
  TWIN_PRIORITY_EVENT_NAMES,
  type SecurityAgentConfiguration,
  type TwinAggregatedEventName,
} from '@vigil/protocol';
import type { AgentCoreConfiguration, AgentCoreConfigurationPatch, EventPriority } from '../core/index.js';
import type { TwinConfigurationCodec } from './twin-configuration.js';

type Mutable = Record<string, unknown>;

/** The core's settings in the twin's terms, other keys from `extra`. */
function toTwin(
  config: AgentCoreConfiguration,
  extra: SecurityAgentConfiguration,
): SecurityAgentConfiguration {
  const out: Mutable = {
    ...extra,
    highPriorityMessageFrequency: config.highPriorityMessageFrequencyMs,
    lowPriorityMessageFrequency: config.lowPriorityMessageFrequencyMs,
    snapshotFrequency: config.statisticsFrequencyMs,
    maxLocalCacheSizeInBytes: config.maxLocalCacheSizeInBytes,
    maxMessageSizeInBytes: config.maxMessageSizeInBytes,
  };
  for (const name of TWIN_PRIORITY_EVENT_NAMES) {
    out[`eventPriority${name}`] = config.eventPriorities[name] ?? extra[`eventPriority${name}`];
  }
  for (const name of TWIN_AGGREGATED_EVENT_NAMES) {
    out[`aggregationEnabled${name}`] = config.aggregation[name].enabled;
    out[`aggregationInterval${name}`] = config.aggregation[name].intervalMs;
  }
  return out as unknown as SecurityAgentConfiguration;
}

/** The core settings a twin configuration asks for. */
function toCore(twin: SecurityAgentConfiguration): AgentCoreConfigurationPatch {
  const eventPriorities: Record<string, EventPriority> = {};
  for (const name of TWIN_PRIORITY_EVENT_NAMES) eventPriorities[name] = twin[`eventPriority${name}`];
  const aggregation: Partial<Record<TwinAggregatedEventName, { enabled: boolean; intervalMs: number }>> = {};
  for (const name of TWIN_AGGREGATED_EVENT_NAMES) {
    aggregation[name] = {
      enabled: twin[`aggregationEnabled${name}`],
      intervalMs: twin[`aggregationInterval${name}`],
    };
  }
  return {
    highPriorityMessageFrequencyMs: twin.highPriorityMessageFrequency,
    lowPriorityMessageFrequencyMs: twin.lowPriorityMessageFrequency,
    statisticsFrequencyMs: twin.snapshotFrequency,
    maxLocalCacheSizeInBytes: twin.maxLocalCacheSizeInBytes,
    maxMessageSizeInBytes: twin.maxMessageSizeInBytes,
    eventPriorities,
    aggregation,
  };
}

/** A codec over the protocol package's twin-config; one per agent (it remembers non-core keys). */
export function createProtocolTwinCodec(
  objectName: string = TWIN_CONFIGURATION_PROPERTY,
): TwinConfigurationCodec {
  let accepted: SecurityAgentConfiguration = DEFAULT_SECURITY_AGENT_CONFIGURATION;
  return {
    objectName,
    read(section, base) {
      const result = applyDesiredPatch(
        toTwin(base, DEFAULT_SECURITY_AGENT_CONFIGURATION),
        {
          [objectName]: section ?? {},
        },
        { objectName },
      );
      if (!result.rejected) accepted = result.configuration;
      return {
        patch: result.rejected ? {} : toCore(result.configuration),
        problems: result.errors.map((e) => ({
          configurationName: e.configurationName,
          errorType: e.errorType,
          message: e.message,
          usedConfiguration: e.usedConfiguration,
        })),
        rejected: result.rejected,
      };
    },
    report(config) {
      return toTwinConfigurationDocument(toTwin(config, accepted));
    },
  };
}
