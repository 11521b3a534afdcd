import { isProtocolError } from '@vigil/protocol';
import { isStorageError } from '@vigil/storage';

/**
 * Stable codes for what the device services (registry, twins, methods, C2D, settings) report. They
 * cross the wire as the service API's `error.code`, so renaming one is a breaking change.
 */
export const SERVICE_ERROR_CODES = [
  /** No valid admin or viewer token was presented. */
  'UNAUTHENTICATED',
  /** The token's role may not do this (a viewer changing something). */
  'FORBIDDEN',
  /** The request is invalid; `details` lists every violation with its path. */
  'VALIDATION_FAILED',
  /** The identity, certificate, setting or route does not exist. */
  'NOT_FOUND',
  /** A create collided with an existing thing of the same name. */
  'CONFLICT',
  /** An `If-Match` etag is stale. */
  'PRECONDITION_FAILED',
  /** A body, twin section or message is over its limit. */
  'PAYLOAD_TOO_LARGE',
  /** The device is not connected (or not subscribed to methods): IoT Hub's 404103 DeviceNotOnline. */
  'DEVICE_NOT_ONLINE',
  /** The device did not answer a direct method in time: IoT Hub's 504101 GatewayTimeout. */
  'GATEWAY_TIMEOUT',
  /** The device's C2D queue is at its maximum depth (IoT Hub's 403004 DeviceMaximumQueueDepthExceeded). */
  'QUEUE_FULL',
  /** Too many requests in flight (pending method invocations); retry later. */
  'THROTTLED',
  /** Something failed that the caller cannot fix; the message says what. */
  'INTERNAL',
] as const;

/** One of {@link SERVICE_ERROR_CODES}. */
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

/** One problem with a request: where (a JSON-pointer-like path) and what. */
export interface ServiceViolation {
  readonly path: string;
  readonly message: string;
}

/** The HTTP status each code is answered with. */
export const SERVICE_ERROR_STATUS: Readonly<Record<ServiceErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  DEVICE_NOT_ONLINE: 404,
  GATEWAY_TIMEOUT: 504,
  QUEUE_FULL: 403,
  THROTTLED: 429,
  INTERNAL: 500,
};

/**
 * IoT Hub's own numeric error codes for the codes that have one (reference/iothub-mqtt.md §5.2;
 * 504101 is [UNVERIFIED] there), sent as `iotHubErrorCode` so IoT Hub tooling recognises them.
 */
export const IOT_HUB_ERROR_CODES: Readonly<Partial<Record<ServiceErrorCode, number>>> = {
  DEVICE_NOT_ONLINE: 404103,
  GATEWAY_TIMEOUT: 504101,
  QUEUE_FULL: 403004,
  THROTTLED: 429001,
  PRECONDITION_FAILED: 412002,
};

/** The error type the device services throw. Callers branch on `code`, never on `message`. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;
  readonly details: readonly ServiceViolation[];

  constructor(
    code: ServiceErrorCode,
    message: string,
    options: { readonly details?: readonly ServiceViolation[]; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? [];
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return SERVICE_ERROR_STATUS[this.code];
  }

  /** The service API's error body (with IoT Hub's numeric code where one exists). */
  toJSON(): {
    code: ServiceErrorCode;
    message: string;
    details: readonly ServiceViolation[];
    iotHubErrorCode?: number;
  } {
    const iotHub = IOT_HUB_ERROR_CODES[this.code];
    return {
      code: this.code,
      message: this.message,
      details: this.details,
      ...(iotHub === undefined ? {} : { iotHubErrorCode: iotHub }),
    };
  }
}

/** True when `value` is a {@link ServiceError}, optionally with the given code. */
export function isServiceError(value: unknown, code?: ServiceErrorCode): value is ServiceError {
  return value instanceof ServiceError && (code === undefined || value.code === code);
}

/** A `VALIDATION_FAILED` error listing every violation. */
export function validationFailed(violations: readonly ServiceViolation[]): ServiceError {
  const first = violations[0];
  const summary =
    violations.length === 1 && first !== undefined
      ? `${first.path}: ${first.message}`
      : `${violations.length} problems with the request`;
  return new ServiceError('VALIDATION_FAILED', summary, { details: violations });
}

const STORAGE_TO_SERVICE: Readonly<Record<string, ServiceErrorCode>> = {
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  LIMIT_EXCEEDED: 'PAYLOAD_TOO_LARGE',
  QUEUE_FULL: 'QUEUE_FULL',
  INVALID_OPTIONS: 'VALIDATION_FAILED',
};

/**
 * Turns any thrown value into a {@link ServiceError} at a boundary: storage and protocol errors map
 * to their service codes, anything unknown becomes `INTERNAL`.
 */
export function toServiceError(thrown: unknown): ServiceError {
  if (thrown instanceof ServiceError) return thrown;
  if (isStorageError(thrown)) {
    return new ServiceError(STORAGE_TO_SERVICE[thrown.code] ?? 'INTERNAL', thrown.message, { cause: thrown });
  }
  if (isProtocolError(thrown)) {
    const details = thrown.violations.map((v) => ({ path: v.path, message: v.message }));
    return new ServiceError('VALIDATION_FAILED', thrown.message, { details, cause: thrown });
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ServiceError('INTERNAL', message, { cause: thrown });
}
