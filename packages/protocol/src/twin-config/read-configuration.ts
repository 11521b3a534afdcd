/**
 * Reading the security agent configuration from the module twin's desired properties, as a full
 * document or as a patch (reference/azure-security-module.md §2.5). Never throws: everything wrong is
 * reported as ConfigurationError entries, the way the agents report it.
 */
import type { ConfigurationErrorEntry } from '../events/index.js';
import { checkConfiguration } from './check-configuration.js';
import {
  DEFAULT_SECURITY_AGENT_CONFIGURATION,
  TWIN_CONFIGURATION_PROPERTY,
  type SecurityAgentConfiguration,
} from './configuration.js';
import { TWIN_CONFIGURATION_PROPERTIES, type TwinPropertySpec } from './property-specs.js';
import { describeInput, readWireValue, wireValueText, type ConfigurationValue } from './wire-value.js';
import { usedConfigurationText } from './reported.js';

/** What reading or patching produced. */
export interface ConfigurationReadResult {
  /** The configuration to run with, frozen. */
  readonly configuration: SecurityAgentConfiguration;
  /** Everything to report in a ConfigurationError event, in key order; empty when all is well. */
  readonly errors: readonly ConfigurationErrorEntry[];
  /** True when a TypeMismatch made the agent keep its previous configuration whole (§2.5). */
  readonly rejected: boolean;
}

/** Options shared by the readers. */
export interface TwinConfigurationOptions {
  /**
   * The configuration object's name in the desired properties; agents can override it locally
   * (§2.5 `RemoteConfigurationObjectName`). Defaults to {@link TWIN_CONFIGURATION_PROPERTY}.
   */
  readonly objectName?: string;
}

type Mode = 'full' | 'patch';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const own = (object: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(object, key) ? object[key] : undefined;

/** What one key of the document asks for: nothing, its default, a value, or a type mismatch. */
type KeyRead =
  | { readonly kind: 'keep' }
  | { readonly kind: 'set'; readonly value: ConfigurationValue }
  | { readonly kind: 'mismatch'; readonly message: string };

const KEEP: KeyRead = { kind: 'keep' };
const RESET: Readonly<Record<string, KeyRead>> = Object.fromEntries(
  TWIN_CONFIGURATION_PROPERTIES.map((p) => [
    p.key,
    { kind: 'set', value: DEFAULT_SECURITY_AGENT_CONFIGURATION[p.key] },
  ]),
);

function readKey(spec: TwinPropertySpec, raw: unknown, mode: Mode): KeyRead {
  const reset = RESET[spec.key] ?? KEEP;
  if (raw === undefined) return mode === 'full' ? reset : KEEP;
  // In a patch, null deletes (IoT Hub desired-property semantics), so the default applies again.
  // A stored twin never holds null, and the schema rejects it, so in a full document it is a mismatch.
  if (raw === null && mode === 'patch') return reset;
  if (!isObject(raw)) {
    const message = `${spec.key} must be wrapped as {"value": …}, got ${describeInput(raw)}`;
    return { kind: 'mismatch', message };
  }
  const value = own(raw, 'value');
  // `{}` is a property without a value: the default in a document, and no change in a merge patch.
  if (value === undefined) return mode === 'full' ? reset : KEEP;
  if (value === null && mode === 'patch') return reset;
  const read = readWireValue(spec.kind, value);
  if (read.ok) return { kind: 'set', value: read.value };
  const why = read.why === undefined ? '' : ` (${read.why})`;
  return {
    kind: 'mismatch',
    message: `${spec.key}.value must be ${read.expected}, got ${describeInput(value)}${why}`,
  };
}

/**
 * One TypeMismatch per offending key. The legacy agents sent a single entry named
 * "TwinConfiguration" / "RemoteConfiguration" with the paths in its message (§2.5); naming the key lets
 * the cloud side point at it, and the event schema allows any name.
 */
function mismatchEntry(name: string, used: string, message: string): ConfigurationErrorEntry {
  return {
    configurationName: name,
    errorType: 'TypeMismatch',
    usedConfiguration: used,
    message: `${message}; the update was rejected and the previous configuration stays in use`,
  };
}

function rejectWhole(
  keep: SecurityAgentConfiguration,
  name: string,
  message: string,
): ConfigurationReadResult {
  return {
    configuration: keep,
    errors: [mismatchEntry(name, usedConfigurationText(keep), message)],
    rejected: true,
  };
}

/** Overlays `document` on `start`; any mismatch rejects the whole update and keeps `keep` (§2.5). */
function overlay(
  document: Record<string, unknown>,
  start: SecurityAgentConfiguration,
  keep: SecurityAgentConfiguration,
  mode: Mode,
): ConfigurationReadResult {
  const next: Record<string, ConfigurationValue> = { ...start };
  const mismatches: ConfigurationErrorEntry[] = [];
  for (const spec of TWIN_CONFIGURATION_PROPERTIES) {
    const read = readKey(spec, own(document, spec.key), mode);
    if (read.kind === 'set') next[spec.key] = read.value;
    else if (read.kind === 'mismatch') {
      mismatches.push(mismatchEntry(spec.key, wireValueText(spec.kind, keep[spec.key]), read.message));
    }
  }
  if (mismatches.length > 0) return { configuration: keep, errors: mismatches, rejected: true };
  const checked = checkConfiguration(next as unknown as SecurityAgentConfiguration);
  return { ...checked, rejected: false };
}

/**
 * Reads the configuration from a full desired-properties document (`properties.desired`): absent keys
 * and an absent object take the defaults, `{ "value": … }` wrapping is required, and a value of the
 * wrong type rejects the whole document, keeping `base` (§2.5).
 */
export function readSecurityAgentConfiguration(
  desired: unknown,
  base: SecurityAgentConfiguration = DEFAULT_SECURITY_AGENT_CONFIGURATION,
  options: TwinConfigurationOptions = {},
): ConfigurationReadResult {
  const name = options.objectName ?? TWIN_CONFIGURATION_PROPERTY;
  if (!isObject(desired)) {
    return rejectWhole(base, name, `the desired properties must be an object, got ${describeInput(desired)}`);
  }
  const document = own(desired, name);
  if (document === undefined) return overlay({}, DEFAULT_SECURITY_AGENT_CONFIGURATION, base, 'full');
  if (!isObject(document))
    return rejectWhole(base, name, `${name} must be an object, got ${describeInput(document)}`);
  return overlay(document, DEFAULT_SECURITY_AGENT_CONFIGURATION, base, 'full');
}

/**
 * Applies a desired-properties patch (the object at the patch root, §2.5) to `current` with IoT Hub
 * merge semantics: keys not in the patch keep their values, `null` (for a key, its `value`, or the
 * whole object) restores the default, and a type mismatch rejects the whole patch.
 */
export function applyDesiredPatch(
  current: SecurityAgentConfiguration,
  patch: unknown,
  options: TwinConfigurationOptions = {},
): ConfigurationReadResult {
  const name = options.objectName ?? TWIN_CONFIGURATION_PROPERTY;
  if (!isObject(patch))
    return rejectWhole(current, name, `a desired patch must be an object, got ${describeInput(patch)}`);
  const document = own(patch, name);
  if (document === undefined) return { configuration: current, errors: [], rejected: false };
  if (document === null) return overlay({}, DEFAULT_SECURITY_AGENT_CONFIGURATION, current, 'full');
  if (!isObject(document))
    return rejectWhole(current, name, `${name} must be an object, got ${describeInput(document)}`);
  return overlay(document, current, current, 'patch');
}
