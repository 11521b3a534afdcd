/**
 * Public door of the runnable agent: `runAgent` and its options, the local configuration schema and
 * resolver, and the remote-configuration seam (the twin codec).
 */
export { runAgent, type RunAgentOptions, type RunningAgent, type TransportTuning } from './run-agent.js';
export {
  AGENT_SETTINGS_SCHEMA,
  DEFAULT_AGENT_SETTINGS,
  environmentName,
  type AgentSettings,
  type AgentSettingsInput,
} from './agent-settings.js';
export {
  AgentConfigurationError,
  resolveAgentSettings,
  type AgentConfigurationViolation,
  type SettingsSources,
} from './resolve-settings.js';
export { AGENT_VERSION, loadOrCreateAgentId } from './agent-identity.js';
export { createConsoleLogger } from './console-logger.js';
export {
  createRemoteConfiguration,
  type RemoteConfiguration,
  type RemoteConfigurationOptions,
} from './remote-configuration.js';
export {
  interimTwinConfigurationCodec,
  SECURITY_AGENT_CONFIGURATION_OBJECT,
  type ConfigurationProblem,
  type TwinConfigurationCodec,
  type TwinConfigurationReading,
} from './twin-configuration.js';
export { formatIsoDuration, parseIsoDuration } from './iso-duration.js';
export { createProtocolTwinCodec } from './protocol-twin-codec.js';
