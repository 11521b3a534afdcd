import { methodNameProblem } from '@vigil/protocol';
import type { JsonValue } from '@vigil/storage';
import type { ServiceViolation } from '../registry/index.js';

/** IoT Hub's bounds (reference/iothub-mqtt.md §3.4, §5.2; DOC-DM). */
export const METHOD_LIMITS = {
  defaultResponseTimeoutSeconds: 30,
  minResponseTimeoutSeconds: 5,
  maxResponseTimeoutSeconds: 3600,
  maxConnectTimeoutSeconds: 300,
  /** The request payload limit (128 KB). */
  maxPayloadBytes: 128 * 1024,
} as const;

/** What a caller asks for (IoT Hub's `POST /twins/{id}/methods` body). */
export interface MethodInvocation {
  readonly methodName: string;
  /** Sent as JSON; `null` (the default) is sent as the 4-byte body `null` (§0 item 2). */
  readonly payload?: JsonValue;
  /** How long to wait for the device's answer once the request is sent; default 30. */
  readonly responseTimeoutSeconds?: number;
  /** How long to wait for an offline device to connect and subscribe; default 0. */
  readonly connectTimeoutSeconds?: number;
}

/** The device's answer: the status it chose and its payload (JSON, or the raw text when it is not JSON). */
export interface MethodResult {
  readonly status: number;
  readonly payload: JsonValue;
}

/** Every problem with an invocation, with the REST field names as paths. */
export function checkInvocation(invocation: MethodInvocation): ServiceViolation[] {
  const violations: ServiceViolation[] = [];
  const nameProblem = methodNameProblem(invocation.methodName);
  if (nameProblem !== undefined) violations.push({ path: 'methodName', message: nameProblem });
  const { responseTimeoutSeconds: response, connectTimeoutSeconds: connect } = invocation;
  if (
    response !== undefined &&
    !(
      response >= METHOD_LIMITS.minResponseTimeoutSeconds &&
      response <= METHOD_LIMITS.maxResponseTimeoutSeconds
    )
  ) {
    violations.push({
      path: 'responseTimeoutInSeconds',
      message: `must be from ${METHOD_LIMITS.minResponseTimeoutSeconds} to ${METHOD_LIMITS.maxResponseTimeoutSeconds}`,
    });
  }
  if (connect !== undefined && !(connect >= 0 && connect <= METHOD_LIMITS.maxConnectTimeoutSeconds)) {
    violations.push({
      path: 'connectTimeoutInSeconds',
      message: `must be from 0 to ${METHOD_LIMITS.maxConnectTimeoutSeconds}`,
    });
  }
  return violations;
}

/** The device's answer body: JSON when it parses, the text otherwise, null when empty. */
export function parseAnswer(payload: Buffer): JsonValue {
  if (payload.length === 0) return null;
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
