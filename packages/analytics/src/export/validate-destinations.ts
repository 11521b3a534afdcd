import { facilityCode } from './syslog-format.js';
import type { AlertDestination } from './types.js';

/** One configuration problem, located by its path (e.g. `destinations[1].port`). */
export interface ExportConfigViolation {
  readonly path: string;
  readonly message: string;
}

/** Thrown by `createAlertExporter` when its destinations are misconfigured; lists every problem. */
export class AlertExportConfigError extends Error {
  /** Stable code for callers that branch on it. */
  readonly code = 'INVALID_EXPORT_CONFIG';
  constructor(readonly violations: readonly ExportConfigViolation[]) {
    super(
      `invalid alert export configuration: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
    );
    this.name = 'AlertExportConfigError';
  }
}

/** A destination as read from configuration: any JSON, checked field by field. */
type Fields = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const positiveInteger = (value: unknown) =>
  value === undefined || (typeof value === 'number' && Number.isInteger(value) && value > 0);
const nonNegative = (value: unknown) =>
  value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
const optionalText = (value: unknown) => value === undefined || typeof value === 'string';

type Add = (path: string, message: string) => void;

function checkCommon(destination: Fields, at: string, add: Add) {
  const name = destination.name;
  if (name !== undefined && (typeof name !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(name))) {
    add(`${at}.name`, 'must be 1–64 printable US-ASCII characters');
  }
  if (!positiveInteger(destination.maxQueue)) add(`${at}.maxQueue`, 'must be a positive integer');
  if (!positiveInteger(destination.timeoutMs)) add(`${at}.timeoutMs`, 'must be a positive integer (ms)');
  const retry = destination.retry;
  if (retry !== undefined && !isObject(retry)) {
    add(`${at}.retry`, 'must be an object (maxAttempts, baseDelayMs, maxDelayMs)');
    return;
  }
  if (!positiveInteger(retry?.maxAttempts)) add(`${at}.retry.maxAttempts`, 'must be a positive integer');
  if (!nonNegative(retry?.baseDelayMs)) add(`${at}.retry.baseDelayMs`, 'must be ≥ 0');
  if (!nonNegative(retry?.maxDelayMs)) add(`${at}.retry.maxDelayMs`, 'must be ≥ 0');
}

function checkWebhook(destination: Fields, at: string, add: Add) {
  const text = typeof destination.url === 'string' ? destination.url : undefined;
  const url = text !== undefined && URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    add(`${at}.url`, 'must be an http or https URL');
  }
  if (!optionalText(destination.secret)) add(`${at}.secret`, 'must be text');
  else if (destination.secret === '') add(`${at}.secret`, 'must not be empty (omit it to send unsigned)');
  const headers = destination.headers;
  if (headers !== undefined && !isObject(headers))
    add(`${at}.headers`, 'must be an object of header names to text');
  for (const [name, value] of Object.entries(isObject(headers) ? headers : {})) {
    if (typeof value !== 'string') add(`${at}.headers.${name}`, 'must be a string');
  }
}

function checkSyslog(destination: Fields, at: string, add: Add) {
  if (typeof destination.host !== 'string' || destination.host === '')
    add(`${at}.host`, 'must be non-empty text');
  const port = destination.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    add(`${at}.port`, 'must be an integer from 1 to 65535');
  }
  const transport = destination.transport;
  if (transport !== undefined && transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') {
    add(`${at}.transport`, 'must be udp, tcp or tls');
  }
  const facility = destination.facility;
  if (
    (facility !== undefined && typeof facility !== 'string' && typeof facility !== 'number') ||
    facilityCode(facility) === undefined
  ) {
    add(`${at}.facility`, 'must be a facility name (local0…local7, auth, authpriv, …) or a code 0–23');
  }
  const appName = destination.appName;
  if (appName !== undefined && (typeof appName !== 'string' || !/^[\x21-\x7e]{1,48}$/.test(appName))) {
    add(`${at}.appName`, 'must be 1–48 printable US-ASCII characters (RFC 5424 §6.2.5)');
  }
  if (!optionalText(destination.hostname)) add(`${at}.hostname`, 'must be text');
  if (destination.tls !== undefined && !isObject(destination.tls)) add(`${at}.tls`, 'must be an object');
}

/**
 * Every problem of a destination list, each located by its path (`destinations[1].port`). Takes any
 * value, so configuration read from JSON (a file, the environment) is checked by the same rules.
 */
export function destinationViolations(destinations: unknown): ExportConfigViolation[] {
  const violations: ExportConfigViolation[] = [];
  const add: Add = (path, message) => violations.push({ path, message });
  if (!Array.isArray(destinations)) {
    add('destinations', 'must be a list of destinations');
    return violations;
  }
  destinations.forEach((destination: unknown, index) => {
    const at = `destinations[${index}]`;
    if (!isObject(destination)) return add(at, 'must be an object with a kind (webhook or syslog)');
    if (destination.kind !== 'webhook' && destination.kind !== 'syslog') {
      return add(`${at}.kind`, 'must be webhook or syslog');
    }
    checkCommon(destination, at, add);
    if (destination.kind === 'webhook') checkWebhook(destination, at, add);
    else checkSyslog(destination, at, add);
  });
  return violations;
}

/** Checks every destination and throws one {@link AlertExportConfigError} listing all problems. */
export function validateDestinations(destinations: readonly AlertDestination[]): void {
  const violations = destinationViolations(destinations);
  if (violations.length > 0) throw new AlertExportConfigError(violations);
}
