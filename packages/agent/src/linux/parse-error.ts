/**
 * The error a Linux parser reports for content it cannot understand; collectors map its `code` to
 * the `PARSE_ERROR` collector error.
 */

/** An `Error` with `code: 'PARSE_ERROR'`. */
export function parseError(message: string): Error & { code: 'PARSE_ERROR' } {
  return Object.assign(new Error(message), { code: 'PARSE_ERROR' as const });
}
