/**
 * How each twin key is typed on the wire (SCHEMAS `azureiotsecurity_schema_definitions.json`:
 * TimeConfiguration, IntegerConfiguration, EventPriorityConfiguration, BooleanConfiguration) and
 * whether the published schema lists it at all (reference/azure-security-module.md §2.5).
 */
import {
  TWIN_AGGREGATED_EVENT_NAMES,
  TWIN_PRIORITY_EVENT_NAMES,
  type TwinConfigurationKey,
} from './configuration.js';

/** The value type of a twin key. `nullable-string` and `string` keys are outside the schema. */
export type TwinValueKind = 'duration' | 'integer' | 'priority' | 'boolean' | 'string' | 'nullable-string';

/** One twin key: its name, value type, and whether `azureiotsecurity_schema.json` defines it. */
export interface TwinPropertySpec {
  readonly key: TwinConfigurationKey;
  readonly kind: TwinValueKind;
  readonly inSchema: boolean;
}

const spec = (key: TwinConfigurationKey, kind: TwinValueKind, inSchema = true): TwinPropertySpec => ({
  key,
  kind,
  inSchema,
});

/** Every key of the configuration, in schema order, then the keys the agents read outside the schema. */
export const TWIN_CONFIGURATION_PROPERTIES: readonly TwinPropertySpec[] = Object.freeze([
  spec('highPriorityMessageFrequency', 'duration'),
  spec('lowPriorityMessageFrequency', 'duration'),
  spec('snapshotFrequency', 'duration'),
  spec('maxLocalCacheSizeInBytes', 'integer'),
  spec('maxMessageSizeInBytes', 'integer'),
  ...TWIN_PRIORITY_EVENT_NAMES.map((name) => spec(`eventPriority${name}`, 'priority')),
  ...TWIN_AGGREGATED_EVENT_NAMES.flatMap((name) => [
    spec(`aggregationEnabled${name}`, 'boolean'),
    spec(`aggregationInterval${name}`, 'duration'),
  ]),
  // §2.5: read by the agents, absent from the published JSON Schema. `eventPriorityOperational` (C agent
  // only, undocumented values) is left out: like any unknown key, it is ignored.
  spec('hubResourceId', 'string', false),
  spec('baselineCustomChecksEnabled', 'boolean', false),
  spec('baselineCustomChecksFilePath', 'nullable-string', false),
  spec('baselineCustomChecksFileHash', 'nullable-string', false),
]);

/** The keys whose values are durations (milliseconds in the configuration). */
export const TWIN_DURATION_KEYS: readonly TwinConfigurationKey[] = TWIN_CONFIGURATION_PROPERTIES.filter(
  (p) => p.kind === 'duration',
).map((p) => p.key);
