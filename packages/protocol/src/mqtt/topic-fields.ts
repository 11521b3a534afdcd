import { ProtocolError } from '../errors/index.js';
import { clip } from './identity-id.js';

/** Longest request id Vigil accepts: a Node UUID is 36 characters, a C SDK counter at most 5. */
export const MAX_RID_LENGTH = 128;

/** Longest method name Vigil accepts (Vigil's bound; IoT Hub documents none). */
export const MAX_METHOD_NAME_LENGTH = 256;

/** Highest twin `$version` Vigil reads: JSON numbers stay exact up to 2^53 − 1. */
const MAX_VERSION = Number.MAX_SAFE_INTEGER;

/** Throws `MALFORMED_TOPIC` naming what was expected. */
export function malformedTopic(topic: string, expected: string): never {
  throw new ProtocolError('MALFORMED_TOPIC', `topic "${clip(topic, 160)}" is not ${expected}`);
}

/**
 * Request ids are chosen by devices (twin: a UUID in Node, a decimal counter in the C SDK) and by the hub
 * (methods), and are echoed byte for byte (reference/iothub-mqtt.md §3.3). Accepted: 1–128 visible ASCII
 * characters other than the MQTT wildcards `#` `+`, the level separator `/`, and `&` (it would end the rid
 * inside a query).
 */
export function isValidRid(rid: string): boolean {
  return rid.length > 0 && rid.length <= MAX_RID_LENGTH && /^[\x21-\x7e]+$/.test(rid) && !/[#+/&]/.test(rid);
}

/** Throws `MALFORMED_TOPIC` unless `rid` is a valid request id (see {@link isValidRid}). */
export function assertRid(rid: string): void {
  if (!isValidRid(rid)) {
    throw new ProtocolError(
      'MALFORMED_TOPIC',
      `request id "${clip(rid)}" must be 1–${MAX_RID_LENGTH} visible ASCII characters without # + / &`,
    );
  }
}

/** A twin status: three decimal digits, 100–599. */
export function isValidTwinStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 100 && status <= 599;
}

/**
 * A method status is any 32-bit signed integer the device chooses (the C SDK passes an `int`, which may be
 * negative; reference/iothub-mqtt.md §3.4).
 */
export function isValidMethodStatus(status: number): boolean {
  return Number.isInteger(status) && status >= -2147483648 && status <= 2147483647;
}

/** A `$version`: a non-negative safe integer. */
export function isValidVersion(version: number): boolean {
  return Number.isSafeInteger(version) && version >= 0 && version <= MAX_VERSION;
}

/** Reads a decimal integer exactly as written (no signs other than a leading `-`, no spaces, no exponent). */
export function readInteger(text: string, allowNegative: boolean): number | undefined {
  const pattern = allowNegative ? /^-?\d{1,16}$/ : /^\d{1,16}$/;
  if (!pattern.test(text)) return undefined;
  return Number(text);
}

const FORBIDDEN_METHOD_CHARS = /[$()<>@,;:\\"/[\]?={} \t#+]/;

/**
 * Returns a reason when `name` cannot be a direct method name, `undefined` when it can. IoT Hub forbids
 * `$ ( ) < > @ , ; : \ " / [ ] ? = { }`, space and tab (reference/iothub-mqtt.md §3.4); Vigil also refuses
 * the MQTT wildcards `#` `+`, control characters, and names over {@link MAX_METHOD_NAME_LENGTH}.
 */
export function methodNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'method name is empty';
  if (name.length > MAX_METHOD_NAME_LENGTH) {
    return `method name is ${name.length} characters long (at most ${MAX_METHOD_NAME_LENGTH})`;
  }
  const bad = FORBIDDEN_METHOD_CHARS.exec(name);
  if (bad !== null)
    return `method name "${clip(name)}" contains the forbidden character ${JSON.stringify(bad[0])}`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f]/.test(name)) return `method name "${clip(name)}" contains a control character`;
  return undefined;
}

/** Throws `INVALID_METHOD_NAME` unless `name` is a valid direct method name. */
export function assertMethodName(name: string): void {
  const problem = methodNameProblem(name);
  if (problem !== undefined) throw new ProtocolError('INVALID_METHOD_NAME', problem);
}

/** Module input names share the method-name rules but are reported as a topic problem. */
export function assertInputName(name: string): void {
  const problem = methodNameProblem(name);
  if (problem !== undefined) {
    throw new ProtocolError('MALFORMED_TOPIC', problem.replace('method name', 'input name'));
  }
}

/**
 * Splits a `$rid=…[&k=v…]` query. The rid must come first (the C SDK requires `?$rid=` at the start,
 * reference/iothub-mqtt.md §0 item 5) and is returned raw, for echoing; other pairs are returned raw too.
 */
export function splitRidQuery(query: string): { rid: string; rest: Map<string, string> } | undefined {
  const pairs = query.split('&');
  const first = pairs[0] ?? '';
  if (!first.startsWith('$rid=')) return undefined;
  const rest = new Map<string, string>();
  for (const pair of pairs.slice(1)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    const key = pair.slice(0, eq);
    if (rest.has(key) || key === '$rid') return undefined;
    rest.set(key, pair.slice(eq + 1));
  }
  return { rid: first.slice('$rid='.length), rest };
}
