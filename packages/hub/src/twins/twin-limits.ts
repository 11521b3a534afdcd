import type { JsonObject, JsonValue } from '@vigil/storage';
import type { ServiceViolation } from '../registry/index.js';

/** A twin section, as the limits and the operations log name it. */
export type TwinSection = 'tags' | 'desired' | 'reported';

/**
 * IoT Hub's twin limits (reference/iothub-mqtt.md §4, DOC-TWIN): keys at most 1 KB without control
 * characters, `.`, `$` or space; strings at most 4 KB; integers within ±2^52; depth at most 10; tags
 * 8 KB and desired/reported 32 KB each, counted as key length plus value length (numbers 8 bytes,
 * booleans 4), without `$version`/`$metadata`.
 */
export const TWIN_LIMITS = {
  maxKeyBytes: 1024,
  maxStringBytes: 4096,
  maxDepth: 10,
  minInteger: -4503599627370496,
  maxInteger: 4503599627370495,
  maxSectionBytes: { tags: 8 * 1024, desired: 32 * 1024, reported: 32 * 1024 } as Readonly<
    Record<TwinSection, number>
  >,
} as const;

// C0 and C1 controls, '.', '$' and space (DOC-TWIN "Keys").
// eslint-disable-next-line no-control-regex
const BAD_KEY = /[\u0000-\u001f\u007f-\u009f.$ ]/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValue(value: unknown, path: string, depth: number, out: ServiceViolation[]): void {
  if (out.length >= 50) return;
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (Buffer.byteLength(value) > TWIN_LIMITS.maxStringBytes) {
      out.push({ path, message: `string is longer than ${TWIN_LIMITS.maxStringBytes} bytes` });
    }
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push({ path, message: 'number is not finite' });
    else if (Number.isInteger(value) && (value < TWIN_LIMITS.minInteger || value > TWIN_LIMITS.maxInteger)) {
      out.push({ path, message: `integer is outside ${TWIN_LIMITS.minInteger}…${TWIN_LIMITS.maxInteger}` });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkValue(item, `${path}[${index}]`, depth, out));
    return;
  }
  if (isObject(value)) {
    if (depth >= TWIN_LIMITS.maxDepth) {
      out.push({ path, message: `is nested deeper than ${TWIN_LIMITS.maxDepth} levels` });
      return;
    }
    checkObject(value, path, depth + 1, out);
    return;
  }
  out.push({ path, message: `${typeof value} is not a JSON value` });
}

function checkObject(
  object: Record<string, unknown>,
  path: string,
  depth: number,
  out: ServiceViolation[],
): void {
  for (const [key, value] of Object.entries(object)) {
    const at = `${path}.${key}`;
    if (key.length === 0) out.push({ path: at, message: 'key is empty' });
    else if (Buffer.byteLength(key) > TWIN_LIMITS.maxKeyBytes) {
      out.push({ path: at, message: `key is longer than ${TWIN_LIMITS.maxKeyBytes} bytes` });
    } else if (BAD_KEY.test(key)) {
      out.push({ path: at, message: 'key may not contain control characters, ".", "$" or a space' });
    }
    checkValue(value, at, depth, out);
  }
}

/**
 * Every violation of IoT Hub's rules in a patch for `section`, with paths rooted at `path`
 * (e.g. `properties.desired`). A patch must be a JSON object; `null` values delete keys.
 */
export function twinPatchViolations(patch: unknown, path: string): ServiceViolation[] {
  if (!isObject(patch)) return [{ path, message: 'must be a JSON object' }];
  const out: ServiceViolation[] = [];
  checkObject(patch, path, 1, out);
  return out;
}

/** The size IoT Hub counts for a section: key lengths plus value lengths (numbers 8, booleans 4). */
export function twinSectionSize(value: JsonValue): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 4;
  if (typeof value === 'number') return 8;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + twinSectionSize(item), 0);
  let total = 0;
  for (const [key, item] of Object.entries(value)) total += Buffer.byteLength(key) + twinSectionSize(item);
  return total;
}

/** Applies a JSON merge patch as IoT Hub does (`null` deletes); used to check the size before storing. */
export function mergeTwinPatch(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else {
      const current = out[key];
      out[key] = isObject(value) && isObject(current) ? mergeTwinPatch(current, value) : value;
    }
  }
  return out;
}

/** A violation when `merged` is over the section's size limit, else undefined. */
export function sectionSizeViolation(
  section: TwinSection,
  merged: JsonObject,
  path: string,
): ServiceViolation | undefined {
  const size = twinSectionSize(merged);
  const limit = TWIN_LIMITS.maxSectionBytes[section];
  return size > limit
    ? { path, message: `${section} would be ${size} bytes; the limit is ${limit}` }
    : undefined;
}
