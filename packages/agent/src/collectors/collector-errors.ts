/**
 * Turning failures into `CollectorError`s, so a collection reports problems instead of throwing.
 */
import type {
  CollectionResult,
  Collector,
  CollectorContext,
  CollectorError,
  CollectorErrorCode,
} from './collector.js';

/** Node `errno` codes and what they mean to a collector. */
const ERRNO_CODES: Readonly<Record<string, CollectorErrorCode>> = {
  ENOENT: 'NOT_FOUND',
  ENOTDIR: 'NOT_FOUND',
  ESRCH: 'NOT_FOUND',
  EACCES: 'PERMISSION_DENIED',
  EPERM: 'PERMISSION_DENIED',
  ABORT_ERR: 'ABORTED',
  // Parsers in ../linux throw their own code for unreadable content.
  PARSE_ERROR: 'PARSE_ERROR',
};

/** The `code` property of a thrown value, when it has a string one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True when reading failed only because the thing is absent (a process that exited, a missing file). */
export function isNotFound(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR';
}

/** True when reading failed for lack of permission. */
export function isPermissionDenied(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * Any thrown value as a `CollectorError` of `collectorId`, with `source` naming what was read.
 * `missingIs` lets callers say an absent file means a missing tool (`TOOL_MISSING` for commands).
 */
export function toCollectorError(
  collectorId: string,
  error: unknown,
  source?: string,
  missingIs: CollectorErrorCode = 'NOT_FOUND',
): CollectorError {
  const errno = errnoCode(error);
  let code: CollectorErrorCode = errno === undefined ? 'INTERNAL' : (ERRNO_CODES[errno] ?? 'INTERNAL');
  if (code === 'NOT_FOUND') code = missingIs;
  if (error instanceof Error && error.name === 'AbortError') code = 'ABORTED';
  const message = error instanceof Error ? error.message : String(error);
  return source === undefined ? { collectorId, code, message } : { collectorId, code, message, source };
}

/**
 * Runs `collector.collect(context)` and never throws: a throw becomes an `INTERNAL` (or `ABORTED`)
 * error entry with no events, so the scheduler can treat every outcome alike.
 */
export async function safeCollect(
  collector: Collector,
  context: CollectorContext,
): Promise<CollectionResult> {
  try {
    return await collector.collect(context);
  } catch (error) {
    const entry = toCollectorError(collector.id, error);
    const aborted = context.signal.aborted && entry.code === 'INTERNAL';
    return { events: [], errors: [aborted ? { ...entry, code: 'ABORTED' } : entry] };
  }
}
