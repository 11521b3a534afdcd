/**
 * Errors of the Linux readers: the one a parser reports for content it cannot understand (collectors
 * map its `code` to the `PARSE_ERROR` collector error), and the test for "it is simply not there".
 */

/** An `Error` with `code: 'PARSE_ERROR'`. */
export function parseError(message: string): Error & { code: 'PARSE_ERROR' } {
  return Object.assign(new Error(message), { code: 'PARSE_ERROR' as const });
}

/** True when a read failed because the file or process is gone (`ENOENT`, `ESRCH`, `ENOTDIR`). */
export function isMissing(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR';
}
