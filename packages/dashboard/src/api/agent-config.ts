/**
 * The security agent's remote configuration as the dashboard edits it: the `azureiotsecurity` module
 * twin's desired `ms_iotn:urn_azureiot_Security_SecurityAgentConfiguration` object
 * (reference/azure-security-module.md §2.5). The key list mirrors `TWIN_CONFIGURATION_PROPERTIES` of
 * `@vigil/protocol`, which the browser bundle does not depend on.
 */

/** Where the configuration sits in `properties.desired` and `properties.reported` (§2.5). */
export const AGENT_CONFIGURATION_PROPERTY = 'ms_iotn:urn_azureiot_Security_SecurityAgentConfiguration';

/** The module the security agent runs as. */
export const SECURITY_MODULE = 'azureiotsecurity';

type Kind = 'duration' | 'integer' | 'priority' | 'boolean' | 'string' | 'nullable-string';

const PRIORITY_EVENTS = [
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
];
const AGGREGATED_EVENTS = ['ProcessCreate', 'ConnectionCreate', 'ProcessTerminate'];

/** Every key the agents read and the type of its `value` (schema definitions, §2.5). */
export const AGENT_CONFIGURATION_KEYS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['highPriorityMessageFrequency', 'duration'],
  ['lowPriorityMessageFrequency', 'duration'],
  ['snapshotFrequency', 'duration'],
  ['maxLocalCacheSizeInBytes', 'integer'],
  ['maxMessageSizeInBytes', 'integer'],
  ...PRIORITY_EVENTS.map((name): [string, Kind] => [`eventPriority${name}`, 'priority']),
  ...AGGREGATED_EVENTS.flatMap((name): [string, Kind][] => [
    [`aggregationEnabled${name}`, 'boolean'],
    [`aggregationInterval${name}`, 'duration'],
  ]),
  ['hubResourceId', 'string'],
  ['baselineCustomChecksEnabled', 'boolean'],
  ['baselineCustomChecksFilePath', 'nullable-string'],
  ['baselineCustomChecksFileHash', 'nullable-string'],
]);

// ISO-8601 durations as the agents accept them: days and a time part (e.g. PT7M, P1DT2H, PT1.5S).
const DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** One problem with an edited configuration, named by key. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * Reads the editor's JSON text: an object whose keys are configuration keys, each `{ "value": … }`
 * of its type, or `null` to remove it. Returns the patch or every problem found.
 */
export function parseAgentConfiguration(
  text: string,
):
  | { readonly ok: true; readonly patch: Record<string, unknown> }
  | { readonly ok: false; readonly problems: ConfigProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ key: '(document)', message: `not JSON: ${(error as Error).message}` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      problems: [{ key: '(document)', message: 'must be an object of configuration keys' }],
    };
  }
  const problems: ConfigProblem[] = [];
  for (const [key, entry] of Object.entries(parsed)) {
    const kind = AGENT_CONFIGURATION_KEYS.get(key);
    if (kind === undefined) {
      problems.push({ key, message: 'is not a key of the security agent configuration' });
      continue;
    }
    if (entry === null) continue;
    const value: unknown =
      typeof entry === 'object' && !Array.isArray(entry) ? (entry as { value?: unknown }).value : undefined;
    const problem = value === undefined ? 'must be { "value": … } or null' : valueProblem(kind, value);
    if (problem !== undefined) problems.push({ key, message: problem });
  }
  return problems.length === 0
    ? { ok: true, patch: parsed as Record<string, unknown> }
    : { ok: false, problems };
}

function valueProblem(kind: Kind, value: unknown): string | undefined {
  switch (kind) {
    case 'duration':
      return typeof value === 'string' && DURATION.test(value)
        ? undefined
        : 'value must be an ISO-8601 duration such as PT7M';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0
        ? undefined
        : 'value must be a whole number';
    case 'priority':
      return value === 'High' || value === 'Low' || value === 'Off'
        ? undefined
        : 'value must be High, Low or Off';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'value must be true or false';
    case 'string':
      return typeof value === 'string' ? undefined : 'value must be text';
    case 'nullable-string':
      return typeof value === 'string' || value === null ? undefined : 'value must be text or null';
  }
}

/**
 * The desired keys the agent has not reported with the same value yet: empty once it applied them.
 * Removed keys (null) count as applied, since agents report their defaults for them.
 */
export function pendingKeys(desired: unknown, reported: unknown): readonly string[] {
  if (typeof desired !== 'object' || desired === null || Array.isArray(desired)) return [];
  const seen = typeof reported === 'object' && reported !== null ? (reported as Record<string, unknown>) : {};
  return Object.entries(desired as Record<string, unknown>)
    .filter(
      ([key, value]) =>
        !key.startsWith('$') && value !== null && JSON.stringify(seen[key]) !== JSON.stringify(value),
    )
    .map(([key]) => key);
}
