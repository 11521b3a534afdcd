/**
 * The configuration in its twin form: every key wrapped as `{ "value": … }`, durations as ISO-8601,
 * under the configuration object's name (reference/azure-security-module.md §2.5). The agent reports
 * this as its effective configuration; the same shape is what a desired document holds.
 */
import {
  TWIN_CONFIGURATION_PROPERTY,
  type SecurityAgentConfiguration,
  type TwinConfigurationKey,
} from './configuration.js';
import { TWIN_CONFIGURATION_PROPERTIES } from './property-specs.js';
import { toWireValue, type WireConfigurationValue } from './wire-value.js';

/** The configuration object as the twin holds it: `{ "<key>": { "value": <wire value> } }`. */
export type TwinConfigurationDocument = {
  readonly [K in TwinConfigurationKey]: { readonly value: WireConfigurationValue };
};

/** Every key in the twin form, defaults included. */
export function toTwinConfigurationDocument(
  configuration: SecurityAgentConfiguration,
): TwinConfigurationDocument {
  const document: Record<string, { readonly value: WireConfigurationValue }> = {};
  for (const { key, kind } of TWIN_CONFIGURATION_PROPERTIES) {
    document[key] = { value: toWireValue(kind, configuration[key]) };
  }
  return document as TwinConfigurationDocument;
}

/**
 * The reported-properties patch an agent sends after applying a configuration: its effective
 * configuration, all keys, under the object name (§2.5). Desired and reported differ exactly when the
 * agent rejected or adjusted something. `{ "value": null }` keys (unset baseline file) are stored by
 * the hub as `{}`, which reads back as the same default.
 */
export function toReportedConfiguration(
  configuration: SecurityAgentConfiguration,
  options: { readonly objectName?: string } = {},
): { readonly [objectName: string]: TwinConfigurationDocument } {
  return { [options.objectName ?? TWIN_CONFIGURATION_PROPERTY]: toTwinConfigurationDocument(configuration) };
}

/**
 * The whole configuration as compact JSON of its wire values, for the `UsedConfiguration` of a
 * TypeMismatch that rejected the whole object (the C# agent reports the serialized configuration, §2.5).
 */
export function usedConfigurationText(configuration: SecurityAgentConfiguration): string {
  const values: Record<string, WireConfigurationValue> = {};
  for (const { key, kind } of TWIN_CONFIGURATION_PROPERTIES)
    values[key] = toWireValue(kind, configuration[key]);
  return JSON.stringify(values);
}
