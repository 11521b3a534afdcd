/**
 * The `azureiotsecurity` module twin configuration (reference/azure-security-module.md §2.5; SCHEMAS
 * `azureiotsecurity_schema.json`, `azureiotsecurity_default.json`) as Vigil holds it: durations in
 * milliseconds, everything else as on the wire.
 */
import { HOUR_MS, MAX_DURATION_MS, MINUTE_MS, SECOND_MS } from '../duration/index.js';

/** Where the configuration sits in `properties.desired` and `properties.reported` (§2.5). */
export const TWIN_CONFIGURATION_PROPERTY = 'ms_iotn:urn_azureiot_Security_SecurityAgentConfiguration';

/** The module identity the security agent runs as on every device (§2.5). */
export const SECURITY_MODULE_ID = 'azureiotsecurity';

/** An `eventPriority<Name>` value: the schema's enum, matched exactly (§2.5). */
export type TwinEventPriority = 'High' | 'Low' | 'Off';

/** Events that have an `eventPriority<Name>` key in the schema, in schema order. */
export const TWIN_PRIORITY_EVENT_NAMES = [
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

/** One of {@link TWIN_PRIORITY_EVENT_NAMES}. */
export type TwinPriorityEventName = (typeof TWIN_PRIORITY_EVENT_NAMES)[number];

/** Events the agent can aggregate (§2.3), each with `aggregationEnabled<Name>` and `aggregationInterval<Name>`. */
export const TWIN_AGGREGATED_EVENT_NAMES = ['ProcessCreate', 'ConnectionCreate', 'ProcessTerminate'] as const;

/** One of {@link TWIN_AGGREGATED_EVENT_NAMES}. */
export type TwinAggregatedEventName = (typeof TWIN_AGGREGATED_EVENT_NAMES)[number];

type EventPriorities = { readonly [N in TwinPriorityEventName as `eventPriority${N}`]: TwinEventPriority };
type AggregationSwitches = { readonly [N in TwinAggregatedEventName as `aggregationEnabled${N}`]: boolean };
/** Aggregation windows, milliseconds. */
type AggregationIntervals = { readonly [N in TwinAggregatedEventName as `aggregationInterval${N}`]: number };

/**
 * The security agent's remote configuration: every key of the twin schema plus the keys the legacy
 * agents read outside it (`hubResourceId`, `baselineCustomChecks*`). Key names are the twin's own;
 * durations (`…Frequency`, `aggregationInterval…`) are milliseconds.
 */
export interface SecurityAgentConfiguration
  extends EventPriorities, AggregationSwitches, AggregationIntervals {
  /** How often High-priority events are sent (ms; twin `PT7M`). */
  readonly highPriorityMessageFrequency: number;
  /** How often Low-priority events are sent (ms; twin `PT5H`). */
  readonly lowPriorityMessageFrequency: number;
  /** Period of the Periodic ("snapshot") events (ms; twin `PT13H`). */
  readonly snapshotFrequency: number;
  /** Bytes of events the agent may hold before sending. */
  readonly maxLocalCacheSizeInBytes: number;
  /** Largest security message, bytes; best a multiple of 4096. */
  readonly maxMessageSizeInBytes: number;
  /** Copied by the C# agent into the `HubResourceId` message property (§2.4); not in the schema. */
  readonly hubResourceId: string;
  /** Run the custom OS baseline checks of `baselineCustomChecksFilePath` (DOCS `concept-baseline.md`). */
  readonly baselineCustomChecksEnabled: boolean;
  /** Full path of the custom checks XML, or null. */
  readonly baselineCustomChecksFilePath: string | null;
  /** sha256 of that file, or null. */
  readonly baselineCustomChecksFileHash: string | null;
}

/** A key of {@link SecurityAgentConfiguration}, which is also its twin property name. */
export type TwinConfigurationKey = keyof SecurityAgentConfiguration;

const priorities = Object.fromEntries(
  TWIN_PRIORITY_EVENT_NAMES.map((name) => [`eventPriority${name}`, 'Low']),
) as unknown as EventPriorities;

/**
 * The defaults of `azureiotsecurity_default.json` and §2.5. Where sources disagree the schema wins:
 * maxLocalCacheSizeInBytes 2560000 (C agent: 10 MiB) and eventPriorityDiagnostic Low (docs table: Off).
 */
export const DEFAULT_SECURITY_AGENT_CONFIGURATION: SecurityAgentConfiguration = Object.freeze({
  highPriorityMessageFrequency: 7 * MINUTE_MS,
  lowPriorityMessageFrequency: 5 * HOUR_MS,
  snapshotFrequency: 13 * HOUR_MS,
  maxLocalCacheSizeInBytes: 2_560_000,
  maxMessageSizeInBytes: 204_800,
  hubResourceId: '',
  ...priorities,
  eventPriorityListeningPorts: 'High',
  eventPriorityLocalUsers: 'High',
  eventPriorityLogin: 'High',
  aggregationEnabledProcessCreate: true,
  aggregationIntervalProcessCreate: HOUR_MS,
  aggregationEnabledConnectionCreate: true,
  aggregationIntervalConnectionCreate: HOUR_MS,
  aggregationEnabledProcessTerminate: true,
  aggregationIntervalProcessTerminate: HOUR_MS,
  baselineCustomChecksEnabled: false,
  baselineCustomChecksFilePath: null,
  baselineCustomChecksFileHash: null,
});

/**
 * Bounds outside which a value is NotOptimal and clamped. Sizes come from the schema's descriptions
 * ("minimum 8192, maximum 262144", the IoT Hub telemetry limit, §2.7), which its JSON Schema does not
 * enforce; the duration floor is Vigil's own, so a zero interval cannot spin a device.
 */
export const TWIN_CONFIGURATION_LIMITS = Object.freeze({
  minMessageSizeInBytes: 8_192,
  maxMessageSizeInBytes: 262_144,
  minLocalCacheSizeInBytes: 8_192,
  maxLocalCacheSizeInBytes: Number.MAX_SAFE_INTEGER,
  /** Message sizes should be a multiple of this (§2.5). */
  messageSizeGranularity: 4_096,
  minDurationMs: SECOND_MS,
  maxDurationMs: MAX_DURATION_MS,
});
