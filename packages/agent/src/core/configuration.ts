/**
 * The settings the core runs with, in the core's own units (milliseconds, bytes), with defaults from
 * the reference: RTOS profile intervals and state-machine times (reference/azure-security-module.md
 * §1.3, §1.6) and the `azureiotsecurity` twin defaults (§2.5). The remote-configuration layer maps
 * the twin's `SecurityAgentConfiguration` onto this and applies it live.
 */
import type { CollectorPriority } from '../collectors/index.js';
import { DEFAULT_AGGREGATION, type AggregationSettings } from './aggregator.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './batcher.js';
import { DEFAULT_DISK_BUFFER_BYTES } from './disk-buffer.js';
import {
  DEFAULT_EVENT_PRIORITIES,
  DEFAULT_MAX_LOCAL_CACHE_BYTES,
  type EventPriority,
} from './event-queues.js';
import { DEFAULT_MAX_FLOWS_PER_FAMILY } from './flow-cache.js';
import {
  DEFAULT_COLLECTOR_TIMEOUT_MS,
  DEFAULT_FIRST_COLLECTION_MS,
  DEFAULT_PRIORITY_INTERVALS_MS,
  type PriorityIntervals,
} from './scheduler.js';
import { DEFAULT_PENDING_TIME_MS, DEFAULT_RETRY_TIME_MS } from './state-machine.js';

/** Everything the core can be configured with. */
export interface AgentCoreConfiguration {
  /** Collection interval of each priority group (§1.3: 10 / 30 / 60 s). */
  readonly priorityIntervalsMs: PriorityIntervals;
  /** Base of the randomized first collection (§1.3: 30 s, so 30–89 s after start). */
  readonly firstCollectionMs: number;
  readonly collectorTimeoutMs: number;
  /** Per-collector switch; collectors not listed are enabled. */
  readonly collectorsEnabled: Readonly<Record<string, boolean>>;
  /** Per-collector priority group, overriding the collector's own. */
  readonly collectorPriorities: Readonly<Record<string, CollectorPriority>>;
  /** Time in PENDING before SUSPENDED (§1.4: 300 s). */
  readonly pendingTimeMs: number;
  /** Polling and send retry period (§1.4: 3 s). */
  readonly retryTimeMs: number;
  /** Flow objects per family (§1.5: 64 each). */
  readonly maxIpv4FlowsInCache: number;
  readonly maxIpv6FlowsInCache: number;
  readonly aggregation: AggregationSettings;
  readonly maxLocalCacheSizeInBytes: number;
  readonly maxMessageSizeInBytes: number;
  /** §2.5 `highPriorityMessageFrequency` (PT7M). */
  readonly highPriorityMessageFrequencyMs: number;
  /** §2.5 `lowPriorityMessageFrequency` (PT5H). */
  readonly lowPriorityMessageFrequencyMs: number;
  /** §2.5 `eventPriority<Name>`; names not listed use the twin defaults. */
  readonly eventPriorities: Readonly<Record<string, EventPriority>>;
  /** How often DroppedEventsStatistics and MessageStatistics are produced (§2.5 `snapshotFrequency`, PT13H). */
  readonly statisticsFrequencyMs: number;
  /** Cap of the disk buffer directory. */
  readonly diskBufferMaxBytes: number;
  /** The publisher's check period (C# agent `schedulerInterval`, 1 s, §2.6). */
  readonly publishCheckMs: number;
}

/** The defaults, frozen. */
export const DEFAULT_CORE_CONFIGURATION: AgentCoreConfiguration = Object.freeze({
  priorityIntervalsMs: DEFAULT_PRIORITY_INTERVALS_MS,
  firstCollectionMs: DEFAULT_FIRST_COLLECTION_MS,
  collectorTimeoutMs: DEFAULT_COLLECTOR_TIMEOUT_MS,
  collectorsEnabled: Object.freeze({}),
  collectorPriorities: Object.freeze({}),
  pendingTimeMs: DEFAULT_PENDING_TIME_MS,
  retryTimeMs: DEFAULT_RETRY_TIME_MS,
  maxIpv4FlowsInCache: DEFAULT_MAX_FLOWS_PER_FAMILY,
  maxIpv6FlowsInCache: DEFAULT_MAX_FLOWS_PER_FAMILY,
  aggregation: DEFAULT_AGGREGATION,
  maxLocalCacheSizeInBytes: DEFAULT_MAX_LOCAL_CACHE_BYTES,
  maxMessageSizeInBytes: DEFAULT_MAX_MESSAGE_BYTES,
  highPriorityMessageFrequencyMs: 7 * 60_000,
  lowPriorityMessageFrequencyMs: 5 * 3_600_000,
  eventPriorities: DEFAULT_EVENT_PRIORITIES,
  statisticsFrequencyMs: 13 * 3_600_000,
  diskBufferMaxBytes: DEFAULT_DISK_BUFFER_BYTES,
  publishCheckMs: 1_000,
});

/** A change to the configuration; nested maps replace their counterpart key by key. */
export type AgentCoreConfigurationPatch = Partial<
  Omit<AgentCoreConfiguration, 'priorityIntervalsMs' | 'aggregation'> & {
    priorityIntervalsMs: Partial<PriorityIntervals>;
    aggregation: Partial<AggregationSettings>;
  }
>;

/** `base` with `patch` applied, frozen. */
export function mergeCoreConfiguration(
  base: AgentCoreConfiguration,
  patch: AgentCoreConfigurationPatch = {},
): AgentCoreConfiguration {
  return Object.freeze({
    ...base,
    ...patch,
    priorityIntervalsMs: Object.freeze({ ...base.priorityIntervalsMs, ...patch.priorityIntervalsMs }),
    aggregation: Object.freeze({ ...base.aggregation, ...patch.aggregation }),
    collectorsEnabled: Object.freeze({ ...base.collectorsEnabled, ...patch.collectorsEnabled }),
    collectorPriorities: Object.freeze({ ...base.collectorPriorities, ...patch.collectorPriorities }),
    eventPriorities: Object.freeze({ ...base.eventPriorities, ...patch.eventPriorities }),
  });
}
