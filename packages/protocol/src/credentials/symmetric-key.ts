import { randomBytes } from 'node:crypto';
import { ProtocolError } from '../errors/index.js';

/** IoT Hub accepts symmetric keys of 16 to 64 bytes, base64-encoded. */
export const MIN_KEY_BYTES = 16;
/** See {@link MIN_KEY_BYTES}. */
export const MAX_KEY_BYTES = 64;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True when `text` is canonical padded base64 (what every SDK and IoT Hub write). */
export function isBase64(text: string): boolean {
  return text.length > 0 && BASE64.test(text);
}

/** A reason why `key` is not a usable symmetric key, or `undefined`. Never quotes the key. */
export function symmetricKeyProblem(key: string): string | undefined {
  if (!isBase64(key)) return 'is not valid base64';
  const bytes = Buffer.byteLength(key, 'base64');
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `decodes to ${bytes} bytes (IoT Hub accepts ${MIN_KEY_BYTES}–${MAX_KEY_BYTES})`;
  }
  return undefined;
}

/** Decodes a base64 symmetric key; throws `INVALID_KEY` (without the key in the message). */
export function decodeSymmetricKey(key: string, label = 'key'): Buffer {
  const problem = symmetricKeyProblem(key);
  if (problem !== undefined) throw new ProtocolError('INVALID_KEY', `${label} ${problem}`);
  return Buffer.from(key, 'base64');
}

/** A new random 32-byte symmetric key, base64-encoded, for a device, module or policy. */
export function generateSymmetricKey(): string {
  return randomBytes(32).toString('base64');
}
