import type { JsonObject, JsonValue } from '@vigil/storage';

/**
 * Turns a typed record into JSON evidence, dropping undefined fields (JSON has no undefined) and
 * keeping only strings, numbers, booleans, null, arrays and plain objects.
 */
export function toEvidence(value: object): JsonObject {
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    const json = toJsonValue(field);
    if (json !== undefined) out[key] = json;
  }
  return out;
}

function toJsonValue(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item) ?? null);
  if (typeof value === 'object') return toEvidence(value);
  return undefined;
}
