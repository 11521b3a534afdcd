import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { StorageError } from '../errors/index.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

/** Encrypts secrets (device symmetric keys) before they reach the database. */
export interface SecretBox {
  /** Identifies the key (a hash prefix, not the key): stored with each secret and in the database. */
  readonly keyId: string;
  /** Encrypts `plain`, bound to `context` (e.g. the identity and key slot) so ciphertexts cannot be swapped between rows. */
  seal(plain: string, context: string): string;
  /** Decrypts what {@link seal} produced for the same context. */
  open(sealed: string, context: string): string;
}

/**
 * AES-256-GCM with a random 96-bit IV per secret. A sealed secret is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) {
    throw new StorageError(
      'KEY_FILE_INVALID',
      `the secret key must be ${KEY_BYTES} bytes, got ${key.length}`,
    );
  }
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return {
    keyId,
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
      return [FORMAT, keyId, ...parts].join('.');
    },
    open(sealed, context) {
      const [format, sealedKeyId, iv, tag, ciphertext] = sealed.split('.');
      if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new StorageError('DATABASE_ERROR', 'a stored secret is not in the sealed format');
      }
      if (sealedKeyId !== keyId) {
        throw new StorageError(
          'SECRET_KEY_MISMATCH',
          `a stored secret was encrypted with key ${sealedKeyId ?? '?'}, but the configured key is ${keyId}`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        throw new StorageError(
          'SECRET_KEY_MISMATCH',
          'a stored secret failed authentication (tampered or wrong key)',
          {
            cause: error,
          },
        );
      }
    },
  };
}
