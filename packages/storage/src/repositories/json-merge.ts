import type { JsonObject, JsonValue } from '../ports/index.js';

/**
 * Applies a JSON merge patch (RFC 7396) as IoT Hub applies twin patches: objects merge key by key,
 * `null` removes a key, anything else replaces. Returns a new object; inputs are not changed.
 */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isObject(value)) {
      const current = result[key];
      result[key] = mergePatch(isObject(current) ? current : {}, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
