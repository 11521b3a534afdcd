/**
 * Resolving the local configuration: file (JSON) < environment (`VIGIL_AGENT_*`) < options, each
 * value checked against {@link AGENT_SETTINGS_SCHEMA}, the connection string parsed, and every
 * violation collected — never only the first — into one {@link AgentConfigurationError}.
 */
import { readFileSync } from 'node:fs';
import { isProtocolError, parseConnectionString } from '@vigil/protocol';
import {
  AGENT_SETTINGS_SCHEMA,
  DEFAULT_AGENT_SETTINGS,
  environmentName,
  fieldProblem,
  parseEnvironmentValue,
  type AgentSettings,
  type AgentSettingsInput,
} from './agent-settings.js';

/** One thing wrong with the configuration: where (`file:/etc/vigil/agent.json#profile`) and what. */
export interface AgentConfigurationViolation {
  readonly path: string;
  readonly message: string;
}

/** The local configuration cannot be used; `violations` lists every problem. */
export class AgentConfigurationError extends Error {
  /** Stable code for programs (the CLI exits with it). */
  readonly code = 'INVALID_AGENT_CONFIGURATION';
  readonly violations: readonly AgentConfigurationViolation[];
  constructor(violations: readonly AgentConfigurationViolation[]) {
    super(`agent configuration: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`);
    this.name = 'AgentConfigurationError';
    this.violations = violations;
  }
}

/** The sources to merge. */
export interface SettingsSources {
  /** A JSON file; also taken from `VIGIL_AGENT_CONFIG`. */
  readonly file?: string;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly options?: AgentSettingsInput;
}

const KEYS = Object.keys(AGENT_SETTINGS_SCHEMA) as (keyof AgentSettingsInput)[];
const CONFIG_VARIABLE = 'VIGIL_AGENT_CONFIG';

type Located = { value: unknown; path: string };

function fromObject(
  object: Record<string, unknown>,
  where: string,
  into: Map<string, Located>,
  problems: AgentConfigurationViolation[],
): void {
  for (const [key, value] of Object.entries(object)) {
    if (!Object.hasOwn(AGENT_SETTINGS_SCHEMA, key))
      problems.push({ path: `${where}${key}`, message: 'unknown setting' });
    else if (value !== undefined) into.set(key, { value, path: `${where}${key}` });
  }
}

function readFile(path: string, into: Map<string, Located>, problems: AgentConfigurationViolation[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({ path: `file:${path}`, message: `cannot read the configuration file: ${reason}` });
    return;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push({ path: `file:${path}`, message: 'must hold a JSON object' });
    return;
  }
  fromObject(parsed as Record<string, unknown>, `file:${path}#`, into, problems);
}

function checkValue(
  key: keyof AgentSettingsInput,
  at: Located,
  problems: AgentConfigurationViolation[],
): void {
  const kind = AGENT_SETTINGS_SCHEMA[key];
  const problem = fieldProblem(kind, at.value);
  if (problem !== undefined) return void problems.push({ path: at.path, message: problem });
  if (kind.type !== 'map') return;
  for (const [name, value] of Object.entries(at.value as Record<string, unknown>)) {
    if (kind.keys !== undefined && !kind.keys.includes(name)) {
      problems.push({
        path: `${at.path}.${name}`,
        message: `unknown key (expected ${kind.keys.join(', ')})`,
      });
      continue;
    }
    const inner = fieldProblem(kind.value, value);
    if (inner !== undefined) problems.push({ path: `${at.path}.${name}`, message: inner });
  }
}

/** The validated, frozen local configuration; throws {@link AgentConfigurationError}. */
export function resolveAgentSettings(sources: SettingsSources = {}): AgentSettings {
  const env = sources.env ?? process.env;
  const problems: AgentConfigurationViolation[] = [];
  const merged = new Map<string, Located>();
  const file = sources.file ?? env[CONFIG_VARIABLE];
  if (file !== undefined && file !== '') readFile(file, merged, problems);
  const names = new Map(KEYS.map((k) => [environmentName(k), k]));
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('VIGIL_AGENT_') || name === CONFIG_VARIABLE || raw === undefined) continue;
    const key = names.get(name);
    if (key === undefined) problems.push({ path: `env:${name}`, message: 'unknown setting' });
    else
      merged.set(key, { value: parseEnvironmentValue(AGENT_SETTINGS_SCHEMA[key], raw), path: `env:${name}` });
  }
  if (sources.options !== undefined) fromObject({ ...sources.options }, 'options.', merged, problems);

  for (const key of KEYS) {
    const at = merged.get(key);
    if (at !== undefined) checkValue(key, at, problems);
  }
  const value = (key: keyof AgentSettingsInput): unknown => merged.get(key)?.value;
  const connection = merged.get('connectionString');
  if (connection === undefined) {
    problems.push({
      path: 'connectionString',
      message: `is required (file, ${environmentName('connectionString')} or options)`,
    });
  } else if (typeof connection.value === 'string' && connection.value !== '') {
    try {
      const parsed = parseConnectionString(connection.value);
      if (parsed.kind === 'hub-policy' || parsed.kind === 'hub-sas') {
        problems.push({ path: connection.path, message: 'must name a device (DeviceId), not the hub' });
      } else if (
        parsed.kind === 'device-x509' &&
        (value('certificateFile') === undefined || value('privateKeyFile') === undefined)
      ) {
        problems.push({
          path: connection.path,
          message: 'x509=true needs certificateFile and privateKeyFile',
        });
      }
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      for (const v of error.violations ?? [{ path: '', message: error.message }]) {
        problems.push({ path: `${connection.path}${v.path === '' ? '' : `.${v.path}`}`, message: v.message });
      }
    }
  }
  const agentId = value('agentId');
  if (
    typeof agentId === 'string' &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(agentId)
  ) {
    problems.push({
      path: merged.get('agentId')?.path ?? 'agentId',
      message: 'must be a GUID (8-4-4-4-12 hex)',
    });
  }
  if (problems.length > 0) throw new AgentConfigurationError(problems);

  const settings: Record<string, unknown> = { ...DEFAULT_AGENT_SETTINGS };
  for (const [key, at] of merged)
    settings[key] = typeof at.value === 'object' ? Object.freeze({ ...(at.value as object) }) : at.value;
  return Object.freeze(settings) as unknown as AgentSettings;
}
