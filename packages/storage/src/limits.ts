import { StorageError } from './errors/index.js';

/**
 * The store's bounds ("Bounded everything", DESIGN.md). Defaults follow IoT Hub's own quotas where
 * one exists (256 KiB D2C message, 64 KiB C2D message, 50 queued C2D messages, 32 KiB twin sections).
 */
export const LIMITS = {
  /** Largest ingest record body (the hub's D2C limit). */
  maxRecordBodyBytes: 256 * 1024,
  /** Largest ingest record property bag, as JSON. */
  maxRecordPropertiesBytes: 16 * 1024,
  /** Most records in one `append` call. */
  maxAppendBatch: 1_000,
  /** Most records committed in one group transaction. */
  maxGroupRecords: 5_000,
  /** Most records waiting for a commit before appends are refused with `OVERLOADED`. */
  maxQueuedRecords: 100_000,
  /** Most rows any read or list returns at once. */
  maxReadLimit: 1_000,
  /** Largest twin section (tags, desired or reported), as JSON. */
  maxTwinSectionBytes: 32 * 1024,
  /** Largest C2D message body. */
  maxC2dBodyBytes: 64 * 1024,
  /** Largest free-form JSON document kept beside a row (event payload, evidence, details, rules). */
  maxDocumentBytes: 64 * 1024,
  /** Evidence items kept per alert (the newest win). */
  maxAlertEvidence: 20,
  /** Rows deleted per retention transaction. */
  pruneBatchSize: 1_000,
} as const;

/** Checks a caller's read `limit`: an integer from 1 to {@link LIMITS.maxReadLimit}, 100 when absent. */
export function readLimit(limit: number | undefined, fallback = 100): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > LIMITS.maxReadLimit) {
    throw new StorageError(
      'LIMIT_EXCEEDED',
      `limit must be an integer from 1 to ${LIMITS.maxReadLimit}, got ${value}`,
    );
  }
  return value;
}

/** Serialises a JSON document and checks it against a byte bound, naming what it is on failure. */
export function boundedJson(
  what: string,
  value: unknown,
  maxBytes: number = LIMITS.maxDocumentBytes,
): string {
  const text = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    throw new StorageError('LIMIT_EXCEEDED', `${what} is ${bytes} bytes as JSON; the limit is ${maxBytes}`);
  }
  return text;
}

/** Parses a JSON column written by {@link boundedJson}. */
export function parseJson<T>(text: string | null): T {
  return JSON.parse(text ?? 'null') as T;
}
