/**
 * The `azureiotsecurity` module twin configuration (reference/azure-security-module.md §2.5): its
 * keys and defaults, reading full documents and patches with the agents' ConfigurationError rules,
 * the reported form, and the ConfigurationError event.
 */
export {
  DEFAULT_SECURITY_AGENT_CONFIGURATION,
  SECURITY_MODULE_ID,
  TWIN_AGGREGATED_EVENT_NAMES,
  TWIN_CONFIGURATION_LIMITS,
  TWIN_CONFIGURATION_PROPERTY,
  TWIN_PRIORITY_EVENT_NAMES,
  type SecurityAgentConfiguration,
  type TwinAggregatedEventName,
  type TwinConfigurationKey,
  type TwinEventPriority,
  type TwinPriorityEventName,
} from './configuration.js';
export {
  TWIN_CONFIGURATION_PROPERTIES,
  type TwinPropertySpec,
  type TwinValueKind,
} from './property-specs.js';
export type { WireConfigurationValue } from './wire-value.js';
export { checkConfiguration, type CheckedConfiguration } from './check-configuration.js';
export {
  applyDesiredPatch,
  readSecurityAgentConfiguration,
  type ConfigurationReadResult,
  type TwinConfigurationOptions,
} from './read-configuration.js';
export { parseSecurityAgentConfiguration } from './parse-configuration.js';
export {
  toReportedConfiguration,
  toTwinConfigurationDocument,
  type TwinConfigurationDocument,
} from './reported.js';
export {
  createConfigurationErrorEvent,
  toConfigurationErrorPayloads,
  type ConfigurationErrorEventOptions,
} from './configuration-error-event.js';
