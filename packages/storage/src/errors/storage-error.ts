/**
 * Stable codes for everything `@vigil/storage` reports. They stay inside the server process (the API
 * maps them to its own wire codes), but callers branch on them, so renaming one is a breaking change.
 */
export const STORAGE_ERROR_CODES = [
  /** Store options that cannot be used (missing data directory, bad URL, bad schema name). */
  'INVALID_OPTIONS',
  /** The database was written by newer code (its schema version is above the one this code knows). */
  'SCHEMA_TOO_NEW',
  /** The thing addressed does not exist. */
  'NOT_FOUND',
  /** A create collided with an existing thing of the same key. */
  'ALREADY_EXISTS',
  /** An `ifMatch` etag or expected version did not match the stored one (optimistic concurrency). */
  'PRECONDITION_FAILED',
  /** An input over one of the store's bounds (record size, batch size, document size, read limit). */
  'LIMIT_EXCEEDED',
  /** A device's cloud-to-device queue is at its maximum depth. */
  'QUEUE_FULL',
  /** Too many appends waiting for the ingest log; the caller should back off (no record was written). */
  'OVERLOADED',
  /** The secret key file is unreadable or not a 32-byte key. */
  'KEY_FILE_INVALID',
  /** The configured secret key is not the one this database's secrets were encrypted with. */
  'SECRET_KEY_MISMATCH',
  /** The store was closed. */
  'CLOSED',
  /** A unit of work's handle was used after its transaction had committed or rolled back. */
  'TRANSACTION_ENDED',
  /** The database engine failed or could not be reached. */
  'DATABASE_ERROR',
] as const;

/** One of {@link STORAGE_ERROR_CODES}. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/** The only error type `@vigil/storage` throws. Callers branch on `code`, never on `message`. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** A plain object for logs and API responses. */
  toJSON(): { code: StorageErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** True when `value` is a {@link StorageError}, optionally with the given code. */
export function isStorageError(value: unknown, code?: StorageErrorCode): value is StorageError {
  return value instanceof StorageError && (code === undefined || value.code === code);
}

/** Turns any thrown value into a {@link StorageError} at a boundary; our own errors pass through. */
export function toStorageError(thrown: unknown, fallback: StorageErrorCode = 'DATABASE_ERROR'): StorageError {
  if (thrown instanceof StorageError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new StorageError(fallback, message, { cause: thrown });
}
