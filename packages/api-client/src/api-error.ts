/** One problem with a request, as the API lists them. */
export interface ApiViolation {
  readonly path: string;
  readonly message: string;
  /** The violation's stable code, where the route sets one (`FEED_SOURCE_INVALID`…). */
  readonly code?: string;
}

/** A refusal from Vigil's API: its stable code, message and every violation. */
export class VigilApiError extends Error {
  override readonly name = 'VigilApiError';
  readonly status: number;
  readonly code: string;
  readonly details: readonly ApiViolation[];

  constructor(status: number, code: string, message: string, details: readonly ApiViolation[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Reads the `{ error: { code, message, details } }` body of a failed response. */
export async function readApiError(response: Response): Promise<VigilApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new VigilApiError(response.status, 'HTTP_ERROR', `HTTP ${response.status} ${response.statusText}`);
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return new VigilApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : 'HTTP_ERROR',
    typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    Array.isArray(error?.details) ? (error.details as ApiViolation[]) : [],
  );
}
