/**
 * The remote configuration as the core consumes it: the `azureiotsecurity` twin's
 * `SecurityAgentConfiguration` (reference/azure-security-module.md §2.5, already validated and in
 * milliseconds by `@vigil/protocol`) mapped onto the core's settings. Keys the core has no use for
 * (`hubResourceId`, `baselineCustomChecks*`) belong to the transport and the baseline collector.
 */
import {
  TWIN_AGGREGATED_EVENT_NAMES,
  TWIN_PRIORITY_EVENT_NAMES,
  type SecurityAgentConfiguration,
} from '@vigil/protocol';
import type { AggregationSettings } from './aggregator.js';
import type { AgentCoreConfigurationPatch } from './configuration.js';
import type { EventPriority } from './event-queues.js';

/**
 * The core settings a twin configuration decides. `snapshotFrequency` paces the agent's periodic
 * self-reports (DroppedEventsStatistics, MessageStatistics); collection intervals stay those of the
 * priority groups (§1.3), which the twin does not carry.
 */
export function coreConfigurationFromTwin(twin: SecurityAgentConfiguration): AgentCoreConfigurationPatch {
  const eventPriorities: Record<string, EventPriority> = {};
  for (const name of TWIN_PRIORITY_EVENT_NAMES) eventPriorities[name] = twin[`eventPriority${name}`];
  const aggregation = {} as Record<keyof AggregationSettings, AggregationSettings[keyof AggregationSettings]>;
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
