/**
 * From message body bytes to a decoded JSON 1.0 security message: size limit, strict UTF-8, JSON,
 * then {@link decodeJsonSecurityMessage}.
 */
import type { DecodedSecurityMessage } from '../events/index.js';
import { ProtocolError } from '../errors/index.js';
import { decodeJsonSecurityMessage } from './decode.js';
import { JSON_MESSAGE_LIMITS, type ValidateSecurityMessageOptions } from './validation-result.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Line and column (1-based) of a character offset, for error messages a person can act on. */
function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return `line ${line} column ${position - lineStart + 1}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    // V8 names the offending character offset; "Unexpected end of JSON input" means the text ran out.
    const stated = /at position (\d+)/.exec(reason);
    const position = stated ? Number(stated[1]) : text.length;
    const where = `${lineAndColumn(text, position)} (character ${position})`;
    throw new ProtocolError('MALFORMED_JSON', `security message is not JSON: ${reason} at ${where}`, {
      violations: [{ path: '', message: `${reason} at ${where}` }],
      cause: thrown,
    });
  }
}

/**
 * Parses a message body as a JSON 1.0 security message. A leading UTF-8 byte order mark is allowed.
 * @throws ProtocolError `MESSAGE_TOO_LARGE` above 256 KiB (IoT Hub's limit, reference §2.7),
 * `MALFORMED_JSON` for bytes that are not UTF-8 or not JSON, `INVALID_SECURITY_MESSAGE` for JSON that
 * violates the schema.
 */
export function parseJsonSecurityMessage(
  bytes: Uint8Array,
  options: ValidateSecurityMessageOptions = {},
): DecodedSecurityMessage {
  if (bytes.byteLength > JSON_MESSAGE_LIMITS.maxBytes) {
    throw new ProtocolError(
      'MESSAGE_TOO_LARGE',
      `security message is ${bytes.byteLength} bytes; at most ${JSON_MESSAGE_LIMITS.maxBytes} are accepted`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (thrown) {
    throw new ProtocolError('MALFORMED_JSON', 'security message is not valid UTF-8', { cause: thrown });
  }
  return decodeJsonSecurityMessage(parseJson(text), options);
}
