/**
 * Converting one unwrapped twin value between the wire (`"PT7M"`, `204800`, `"High"`) and the
 * configuration (milliseconds for durations), with the schema's exact type rules
 * (reference/azure-security-module.md §2.5).
 */
import { formatDuration, MAX_DURATION_MS, tryParseDuration } from '../duration/index.js';
import type { TwinValueKind } from './property-specs.js';

/** A configuration value as it travels inside `{ "value": … }`. */
export type WireConfigurationValue = string | number | boolean | null;

/** A value as the configuration holds it. */
export type ConfigurationValue = string | number | boolean | null;

/** The outcome of reading one wire value: the configuration value, or what was expected instead. */
export type WireValueOutcome =
  | { readonly ok: true; readonly value: ConfigurationValue }
  | { readonly ok: false; readonly expected: string; readonly why?: string };

const PRIORITIES = ['High', 'Low', 'Off'];

/** What a value of `kind` looks like, for messages. */
export const EXPECTED: Readonly<Record<TwinValueKind, string>> = Object.freeze({
  duration: 'an ISO-8601 duration string',
  integer: 'an integer',
  priority: '"High", "Low" or "Off"',
  boolean: 'true or false',
  string: 'a string',
  'nullable-string': 'a string or null',
});

const mismatch = (kind: TwinValueKind, why?: string): WireValueOutcome =>
  why === undefined ? { ok: false, expected: EXPECTED[kind] } : { ok: false, expected: EXPECTED[kind], why };

/**
 * Reads an unwrapped wire value. A well-formed duration beyond the 100-year bound reads as
 * `Infinity`, which the limit checks turn into a NotOptimal clamp rather than a TypeMismatch: the
 * schema accepts it.
 */
export function readWireValue(kind: TwinValueKind, value: unknown): WireValueOutcome {
  switch (kind) {
    case 'duration': {
      if (typeof value !== 'string') return mismatch(kind);
      const parsed = tryParseDuration(value);
      if (parsed.ok) return { ok: true, value: parsed.ms };
      return parsed.reason === 'out-of-range'
        ? { ok: true, value: Infinity }
        : mismatch(kind, parsed.message);
    }
    case 'integer':
      // JSON has one number type; the schema's `integer` is a number without a fraction.
      return typeof value === 'number' && Number.isInteger(value) ? { ok: true, value } : mismatch(kind);
    case 'priority':
      if (typeof value === 'string' && PRIORITIES.includes(value)) return { ok: true, value };
      // The C agent matched priorities case-insensitively; the schema's enum does not, and the schema wins.
      if (typeof value === 'string' && PRIORITIES.some((p) => p.toLowerCase() === value.toLowerCase())) {
        return mismatch(kind, 'priorities are case-sensitive');
      }
      return mismatch(kind);
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : mismatch(kind);
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : mismatch(kind);
    case 'nullable-string':
      return typeof value === 'string' || value === null ? { ok: true, value } : mismatch(kind);
  }
}

/** The wire form of a configuration value: durations as canonical ISO-8601 text. */
export function toWireValue(kind: TwinValueKind, value: ConfigurationValue): WireConfigurationValue {
  if (kind === 'duration' && typeof value === 'number') {
    return formatDuration(Math.min(Math.max(Math.round(value), 0), MAX_DURATION_MS));
  }
  return value;
}

/** A value as text for `UsedConfiguration` and messages: `PT7M`, `204800`, `High`, `null`. */
export function wireValueText(kind: TwinValueKind, value: ConfigurationValue): string {
  const wire = toWireValue(kind, value);
  return typeof wire === 'string' ? wire : String(wire);
}

/** Untrusted input described for a message, strings quoted and cut to 40 characters. */
export function describeInput(value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value.length > 40 ? value.slice(0, 40) : value);
    return `the string ${quoted}${value.length > 40 ? '…' : ''}`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return typeof value;
}
