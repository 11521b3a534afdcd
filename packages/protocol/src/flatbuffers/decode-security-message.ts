/**
 * `decodeFlatbuffersSecurityMessage`: the ingest path's entry for bodies whose `mti` says FlatBuffers
 * (reference/azure-security-module.md §1.8, §7): verify, decode and normalise in one call.
 */
import type { DecodedSecurityMessage } from '../events/index.js';
import { ProtocolError } from '../errors/index.js';
import { decodeRtosMessage, type DecodeRtosOptions } from './decode.js';
import type { ParsedMti } from './mti.js';
import { normaliseRtosMessage } from './normalise.js';

/**
 * Decodes a FlatBuffers security message body into the event model. Throws UNSUPPORTED_SCHEMA when the
 * `mti` names another encoding, MESSAGE_TOO_LARGE and MALFORMED_FLATBUFFER as {@link decodeRtosMessage}
 * does, and nothing else.
 */
export function decodeFlatbuffersSecurityMessage(
  bytes: Uint8Array,
  mti: ParsedMti,
  options: DecodeRtosOptions = {},
): DecodedSecurityMessage {
  if (mti.encoding !== 'flatbuffers') {
    throw new ProtocolError(
      'UNSUPPORTED_SCHEMA',
      `mti ${mti.schemaVersion} says the body is ${mti.encoding}, not FlatBuffers`,
    );
  }
  return normaliseRtosMessage(decodeRtosMessage(bytes, options), { schemaVersion: mti.schemaVersion });
}
