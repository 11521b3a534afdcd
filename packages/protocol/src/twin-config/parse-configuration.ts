import { ProtocolError } from '../errors/index.js';
import { TWIN_CONFIGURATION_PROPERTY, type SecurityAgentConfiguration } from './configuration.js';
import { readSecurityAgentConfiguration, type TwinConfigurationOptions } from './read-configuration.js';

/**
 * Reads a desired-properties document that must be valid, for callers that write configurations
 * (API, CLI) rather than run them: the DOCS say an agent will not start on a configuration that does
 * not match the schema (reference/azure-security-module.md §2.5). NotOptimal and Conflict findings do
 * not throw; they are in the agent's report once it applies the configuration.
 * @throws ProtocolError `INVALID_TWIN_CONFIGURATION` listing every TypeMismatch as a violation.
 */
export function parseSecurityAgentConfiguration(
  desired: unknown,
  options: TwinConfigurationOptions = {},
): SecurityAgentConfiguration {
  const result = readSecurityAgentConfiguration(desired, undefined, options);
  if (!result.rejected) return result.configuration;
  const name = options.objectName ?? TWIN_CONFIGURATION_PROPERTY;
  const violations = result.errors.map((e) => ({
    path: e.configurationName === name ? `$.${name}` : `$.${name}.${e.configurationName}`,
    message: e.message,
  }));
  throw new ProtocolError(
    'INVALID_TWIN_CONFIGURATION',
    `the security agent configuration has ${violations.length} type mismatch${violations.length === 1 ? '' : 'es'}`,
    { violations },
  );
}
