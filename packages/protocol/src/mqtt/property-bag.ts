import { ProtocolError } from '../errors/index.js';
import { clip } from './identity-id.js';
import {
  SYSTEM_NAME_BY_WIRE_KEY,
  SYSTEM_PROPERTY_TABLE,
  type SystemProperties,
} from './system-properties.js';

/**
 * A decoded topic property bag, split into IoT Hub system properties and application properties.
 * An application value is `null` for a bare key (`k`) and `''` for `k=` (reference/iothub-mqtt.md §3.2).
 * Keys that start with `$.` but are not in the system table (for example `$.foo`) stay application
 * properties under their decoded key, so nothing a device sends is dropped.
 */
export interface PropertyBag {
  readonly system: SystemProperties;
  readonly application: Readonly<Record<string, string | null>>;
}

/** What {@link formatPropertyBag} accepts: either half may be left out. */
export interface PropertyBagInput {
  readonly system?: SystemProperties;
  readonly application?: Readonly<Record<string, string | null>>;
}

/** Bounds on what {@link parsePropertyBag} will decode. */
export interface PropertyBagLimits {
  /** Longest bag text in characters. Default 8192 (8 KiB). */
  readonly maxLength?: number;
  /** Most `&`-separated pairs. Default 128. */
  readonly maxPairs?: number;
}

/**
 * Vigil's default bounds. IoT Hub documents no limit on the bag itself; these are generous for every SDK
 * (the Node SDK's security message bag is ~110 characters) and keep one topic from costing unbounded work.
 */
export const DEFAULT_PROPERTY_BAG_LIMITS: Readonly<Required<PropertyBagLimits>> = Object.freeze({
  maxLength: 8192,
  maxPairs: 128,
});

type MutableSystem = { -readonly [K in keyof SystemProperties]: SystemProperties[K] };

function fail(key: string | undefined, reason: string): never {
  const where = key === undefined ? 'property bag' : `property bag key "${clip(key)}"`;
  return failAt(where, key ?? '', reason);
}

function failAt(where: string, path: string, reason: string): never {
  throw new ProtocolError('MALFORMED_PROPERTY_BAG', `${where}: ${reason}`, {
    violations: [{ path, message: reason }],
  });
}

function decode(text: string, key: string | undefined): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(key, `bad percent-encoding in "${clip(text)}"`);
  }
}

function encode(text: string, key: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    // encodeURIComponent throws URIError only for a lone surrogate, which has no UTF-8 form.
    return fail(key, 'is not well-formed Unicode (lone surrogate)');
  }
}

/**
 * Decodes a topic property bag leniently, as devices write them (reference/iothub-mqtt.md §0 item 8):
 * one trailing `/` is stripped, pairs split on `&` and at the first `=`, both sides percent-decoded,
 * `$.x` and `%24.x` read alike. `+` is kept as a literal `+` (no official SDK writes `+` for a space).
 * Empty pairs (`a=1&&b=2`, a trailing `&`) are skipped.
 *
 * Throws `MALFORMED_PROPERTY_BAG` (with the offending key) for bad percent-encoding, an empty key,
 * a key that appears twice after decoding (`$.ifid` and `%24.ifid` count as the same key — rejecting
 * duplicates means the hub and analytics can never disagree about which value counted), or a bag over
 * its {@link PropertyBagLimits}.
 */
export function parsePropertyBag(text: string, limits: PropertyBagLimits = {}): PropertyBag {
  const maxLength = limits.maxLength ?? DEFAULT_PROPERTY_BAG_LIMITS.maxLength;
  const maxPairs = limits.maxPairs ?? DEFAULT_PROPERTY_BAG_LIMITS.maxPairs;
  if (text.length > maxLength) {
    fail(undefined, `is ${text.length} characters long (at most ${maxLength})`);
  }
  const body = text.endsWith('/') ? text.slice(0, -1) : text;
  const system: MutableSystem = {};
  const application: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  if (body === '') return { system, application };
  const pairs = body.split('&');
  if (pairs.length > maxPairs) fail(undefined, `has ${pairs.length} pairs (at most ${maxPairs})`);
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const key = decode(rawKey, undefined);
    if (key === '') fail(undefined, `empty key in "${clip(pair)}"`);
    const value = eq < 0 ? null : decode(pair.slice(eq + 1), key);
    if (seen.has(key)) fail(key, 'appears more than once');
    seen.add(key);
    const systemName = SYSTEM_NAME_BY_WIRE_KEY.get(key);
    // A bare system key carries no value; it is read as the empty string, since system values are text.
    if (systemName !== undefined) system[systemName] = value ?? '';
    else application[key] = value;
  }
  return { system, application };
}

/**
 * Writes a property bag as the hub and Vigil's devices send it: system properties first, in
 * {@link SYSTEM_PROPERTY_TABLE} order with `$` written `%24` (the C SDK only recognises `%24.mid` etc.,
 * reference/iothub-mqtt.md §0 item 4), then application properties in insertion order. Keys and values are
 * percent-encoded with `encodeURIComponent` (space → `%20`, never `+`). A `null` application value is
 * written as the bare key, `''` as `key=`.
 *
 * Throws `MALFORMED_PROPERTY_BAG` for an empty application key, one that names a system property, or text
 * with a lone surrogate (it has no UTF-8 form).
 */
export function formatPropertyBag(props: PropertyBagInput): string {
  const parts: string[] = [];
  const system = props.system ?? {};
  for (const { name, wireKey } of SYSTEM_PROPERTY_TABLE) {
    const value = system[name];
    if (value !== undefined) parts.push(`${encodeURIComponent(wireKey)}=${encode(value, wireKey)}`);
  }
  for (const [key, value] of Object.entries(props.application ?? {})) {
    if (key === '') fail(undefined, 'empty application key');
    if (SYSTEM_NAME_BY_WIRE_KEY.has(key)) {
      fail(key, 'is a system property; set it through `system`');
    }
    const encodedKey = encode(key, key);
    parts.push(value === null ? encodedKey : `${encodedKey}=${encode(value, key)}`);
  }
  return parts.join('&');
}
