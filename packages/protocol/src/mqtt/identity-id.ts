import { ProtocolError, type ProtocolErrorCode } from '../errors/index.js';

/** Longest device or module id IoT Hub accepts (characters). */
export const MAX_IDENTITY_ID_LENGTH = 128;

/**
 * Device and module ids: case-sensitive, 1–128 ASCII letters and digits plus `- . + % _ # * ? ! ( ) , : = @ $ '`
 * (IoT Hub identity registry rules; reference/iothub-mqtt.md §5.1 lists the registry fields).
 */
const ID_PATTERN = /^[A-Za-z0-9\-.+%_#*?!(),:=@$']{1,128}$/;

/** True when `id` is a device or module id IoT Hub would accept. */
export function isValidIdentityId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/**
 * Returns a reason when `id` is not a valid device or module id, `undefined` when it is.
 * Used where every problem is collected (connection strings) rather than thrown.
 */
export function identityIdProblem(id: string, what: 'device id' | 'module id'): string | undefined {
  if (id.length === 0) return `${what} is empty`;
  if (id.length > MAX_IDENTITY_ID_LENGTH) {
    return `${what} is ${id.length} characters long (at most ${MAX_IDENTITY_ID_LENGTH})`;
  }
  if (!ID_PATTERN.test(id)) {
    return `${what} may hold only ASCII letters, digits and - . + % _ # * ? ! ( ) , : = @ $ '`;
  }
  return undefined;
}

/** Throws `code` unless `id` is a valid device or module id. */
export function assertIdentityId(
  id: string,
  what: 'device id' | 'module id',
  code: ProtocolErrorCode = 'MALFORMED_TOPIC',
): void {
  const problem = identityIdProblem(id, what);
  if (problem !== undefined) throw new ProtocolError(code, problem);
}

/**
 * Writes an id as a topic segment. Only `%`, `#` and `+` are escaped: `#`/`+` are MQTT wildcards that may not
 * appear in a topic name, and `%` must be escaped so decoding is unambiguous. Every other allowed character is
 * written as is, which is exactly what the official SDKs send (they concatenate the raw id).
 */
export function encodeTopicId(id: string): string {
  return id.replace(/[%#+]/g, (c) => (c === '%' ? '%25' : c === '#' ? '%23' : '%2B'));
}

/**
 * Reads an id from a topic segment: valid `%XX` escapes are decoded and a `%` not followed by two hex digits
 * stays literal, because the SDKs put raw ids (which may contain `%`) in topics. An id whose raw form looks like
 * an escape (`a%41`) is therefore read as its decoded form (`aA`); such ids should be avoided.
 */
export function decodeTopicId(segment: string, what: 'device id' | 'module id'): string {
  const id = segment.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  const problem = identityIdProblem(id, what);
  if (problem !== undefined) {
    throw new ProtocolError('MALFORMED_TOPIC', `topic segment "${clip(segment)}": ${problem}`);
  }
  return id;
}

/** Shortens untrusted text quoted in an error message. */
export function clip(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
