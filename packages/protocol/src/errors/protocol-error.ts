/**
 * Stable codes for everything that can be wrong with input at the wire contract.
 * They cross process boundaries (agent → hub, API → CLI and dashboard), so renaming one is a breaking change.
 */
export const PROTOCOL_ERROR_CODES = [
  /** A body that should be JSON does not parse as JSON. */
  'MALFORMED_JSON',
  /** A JSON 1.0 security message that violates the schema (details in `violations`). */
  'INVALID_SECURITY_MESSAGE',
  /** The `mti` property or the message names a schema version or encoding Vigil does not speak. */
  'UNSUPPORTED_SCHEMA',
  /** The `mti` property is present but not `<major>.<minor>-<encoding>-<source>-<type>`. */
  'MALFORMED_MTI',
  /** A FlatBuffers body whose offsets, vectors or required fields are broken. */
  'MALFORMED_FLATBUFFER',
  /** A message body over its size limit. */
  'MESSAGE_TOO_LARGE',
  /** An MQTT topic that is not one of the IoT Hub device topics. */
  'MALFORMED_TOPIC',
  /** A topic property bag that cannot be decoded (bad percent-encoding, empty key, too many pairs). */
  'MALFORMED_PROPERTY_BAG',
  /** A method name with characters IoT Hub forbids. */
  'INVALID_METHOD_NAME',
  /** A connection string missing parts, with unknown parts, or with contradictory parts. */
  'MALFORMED_CONNECTION_STRING',
  /** A SAS token that is not `SharedAccessSignature sr=…&sig=…&se=…[&skn=…]`. */
  'MALFORMED_SAS_TOKEN',
  /** A well-formed SAS token whose expiry has passed. */
  'SAS_TOKEN_EXPIRED',
  /** A well-formed, unexpired SAS token whose signature does not match the key. */
  'SAS_SIGNATURE_MISMATCH',
  /** A SAS token signed for another resource URI than the one being authenticated. */
  'SAS_RESOURCE_MISMATCH',
  /** A key that is not valid base64 or has the wrong length. */
  'INVALID_KEY',
  /** A certificate that cannot be parsed. */
  'MALFORMED_CERTIFICATE',
  /** A string that is not an ISO-8601 duration as the security module twin accepts it. */
  'MALFORMED_DURATION',
  /** A security module twin configuration that cannot be applied (type mismatch). */
  'INVALID_TWIN_CONFIGURATION',
  /** Anything thrown that was not one of ours, normalised at a boundary. */
  'INTERNAL',
] as const;

/** One of {@link PROTOCOL_ERROR_CODES}. */
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/** A single thing wrong with an input, located by a JSON path (`$.Events[0].Payload[2].ProcessId`). */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

/** Options for {@link ProtocolError}. */
export interface ProtocolErrorOptions {
  /** Every violation found, for errors that come from validation. */
  readonly violations?: readonly Violation[];
  readonly cause?: unknown;
}

/**
 * The only error type `@vigil/protocol` throws or returns. Callers branch on `code`, never on `message`.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly violations: readonly Violation[];

  constructor(code: ProtocolErrorCode, message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.violations = options.violations ?? [];
  }

  /** A plain object for logs and API responses. */
  toJSON(): { code: ProtocolErrorCode; message: string; violations: readonly Violation[] } {
    return { code: this.code, message: this.message, violations: this.violations };
  }
}

/** True when `value` is a {@link ProtocolError}, optionally with the given code. */
export function isProtocolError(value: unknown, code?: ProtocolErrorCode): value is ProtocolError {
  return value instanceof ProtocolError && (code === undefined || value.code === code);
}

/**
 * Turns any thrown value into a {@link ProtocolError} at a boundary, so callers see one error type.
 * Our own errors pass through unchanged.
 */
export function toProtocolError(
  thrown: unknown,
  fallbackCode: ProtocolErrorCode = 'INTERNAL',
): ProtocolError {
  if (thrown instanceof ProtocolError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProtocolError(fallbackCode, message, { cause: thrown });
}
