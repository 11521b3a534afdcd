import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageError } from '../errors/index.js';

/** The key file's name inside the data directory when none is configured. */
export const DEFAULT_KEY_FILE_NAME = 'storage.key';

/**
 * Reads the 32-byte secret key (base64, one line) from `path`, creating it with fresh random bytes
 * and 0600 permissions when it does not exist yet. Anything else in the file is `KEY_FILE_INVALID`.
 */
export async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StorageError(
        'KEY_FILE_INVALID',
        `cannot read the secret key file ${path}: ${String(error)}`,
        { cause: error },
      );
    }
    await mkdir(dirname(path), { recursive: true });
    const key = randomBytes(32);
    try {
      // `wx`: never overwrite a key another process created meanwhile; its secrets depend on it.
      await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      await chmod(path, 0o600);
      return key;
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeyFile(path);
      throw new StorageError(
        'KEY_FILE_INVALID',
        `cannot create the secret key file ${path}: ${String(writeError)}`,
        {
          cause: writeError,
        },
      );
    }
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.trim()) {
    throw new StorageError(
      'KEY_FILE_INVALID',
      `the secret key file ${path} must hold 32 bytes in base64 on one line`,
    );
  }
  return key;
}
