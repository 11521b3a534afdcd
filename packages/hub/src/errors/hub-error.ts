/**
 * Stable codes for what the gateway half of `@vigil/hub` reports. They stay inside the server
 * process; callers branch on `code`, never on `message`.
 */
export const HUB_ERROR_CODES = [
  /** Hub options that cannot be used; `violations` lists every problem with its path. */
  'INVALID_CONFIG',
  /** TLS material (configured or generated) cannot be read, parsed or written. */
  'TLS_MATERIAL',
  /** A listener could not bind its port. */
  'LISTEN_FAILED',
  /** The hub is not running (not started yet, or stopped). */
  'NOT_RUNNING',
  /** Something the gateway did not expect; the message says what. */
  'INTERNAL',
] as const;

/** One of {@link HUB_ERROR_CODES}. */
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];

/** One problem found in a configuration value. */
export interface HubViolation {
  readonly path: string;
  readonly message: string;
}

/** The error type the gateway throws. */
export class HubError extends Error {
  override readonly name = 'HubError';
  readonly code: HubErrorCode;
  readonly violations: readonly HubViolation[];

  constructor(
    code: HubErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly violations?: readonly HubViolation[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.violations = options.violations ?? [];
  }

  /** A plain object for logs and API responses. */
  toJSON(): { code: HubErrorCode; message: string; violations: readonly HubViolation[] } {
    return { code: this.code, message: this.message, violations: this.violations };
  }
}

/** True when `value` is a {@link HubError}, optionally with the given code. */
export function isHubError(value: unknown, code?: HubErrorCode): value is HubError {
  return value instanceof HubError && (code === undefined || value.code === code);
}
