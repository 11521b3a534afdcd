/**
 * `decodeRtosMessage`: FlatBuffers bytes → {@link RtosSecurityMessage}, verified in full before anything
 * is read (reference/azure-security-module.md §1.7).
 */
import { ProtocolError } from '../errors/index.js';
import { readVerifiedMessage } from './read.js';
import { RTOS_MAX_MESSAGE_BYTES, type RtosSecurityMessage } from './rtos-message.js';
import { MESSAGE_SPEC } from './schema-spec.js';
import { verifyFlatbuffer } from './verify.js';

/** Options for {@link decodeRtosMessage}. */
export interface DecodeRtosOptions {
  /** Bodies larger than this (default {@link RTOS_MAX_MESSAGE_BYTES}) are rejected with MESSAGE_TOO_LARGE. */
  readonly maxBytes?: number;
}

/**
 * Decodes one security message body. Throws MESSAGE_TOO_LARGE over the size limit and
 * MALFORMED_FLATBUFFER (naming the field path) for any broken offset, vtable, vector, string, union tag,
 * enum value or missing required field; it throws nothing else.
 */
export function decodeRtosMessage(bytes: Uint8Array, options: DecodeRtosOptions = {}): RtosSecurityMessage {
  const maxBytes = options.maxBytes ?? RTOS_MAX_MESSAGE_BYTES;
  if (bytes.length > maxBytes) {
    throw new ProtocolError(
      'MESSAGE_TOO_LARGE',
      `message body is ${bytes.length} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  const root = verifyFlatbuffer(bytes, MESSAGE_SPEC);
  return readVerifiedMessage(bytes, root);
}
