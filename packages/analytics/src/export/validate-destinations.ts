import { facilityCode } from './syslog-format.js';
import type { AlertDestination, DestinationCommon } from './types.js';

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

const positiveInteger = (value: number | undefined) =>
  value === undefined || (Number.isInteger(value) && value > 0);
const nonNegative = (value: number | undefined) =>
  value === undefined || (Number.isFinite(value) && value >= 0);

function checkCommon(
  destination: DestinationCommon,
  at: string,
  add: (path: string, message: string) => void,
) {
  if (!positiveInteger(destination.maxQueue)) add(`${at}.maxQueue`, 'must be a positive integer');
  if (!positiveInteger(destination.timeoutMs)) add(`${at}.timeoutMs`, 'must be a positive integer (ms)');
  if (!positiveInteger(destination.retry?.maxAttempts))
    add(`${at}.retry.maxAttempts`, 'must be a positive integer');
  if (!nonNegative(destination.retry?.baseDelayMs)) add(`${at}.retry.baseDelayMs`, 'must be ≥ 0');
  if (!nonNegative(destination.retry?.maxDelayMs)) add(`${at}.retry.maxDelayMs`, 'must be ≥ 0');
}

function checkDestination(
  destination: AlertDestination,
  at: string,
  add: (path: string, message: string) => void,
) {
  checkCommon(destination, at, add);
  switch (destination.kind) {
    case 'webhook': {
      const url = URL.canParse(destination.url) ? new URL(destination.url) : undefined;
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        add(`${at}.url`, 'must be an http or https URL');
      }
      if (destination.secret === '') add(`${at}.secret`, 'must not be empty (omit it to send unsigned)');
      for (const [name, value] of Object.entries(destination.headers ?? {})) {
        if (typeof value !== 'string') add(`${at}.headers.${name}`, 'must be a string');
      }
      return;
    }
    case 'syslog':
      if (destination.host === '') add(`${at}.host`, 'must not be empty');
      if (!Number.isInteger(destination.port) || destination.port < 1 || destination.port > 65_535) {
        add(`${at}.port`, 'must be an integer from 1 to 65535');
      }
      if (destination.transport !== undefined && !['udp', 'tcp', 'tls'].includes(destination.transport)) {
        add(`${at}.transport`, 'must be udp, tcp or tls');
      }
      if (facilityCode(destination.facility) === undefined) {
        add(`${at}.facility`, 'must be a facility name (local0…local7, auth, authpriv, …) or a code 0–23');
      }
      if (destination.appName !== undefined && !/^[\x21-\x7e]{1,48}$/.test(destination.appName)) {
        add(`${at}.appName`, 'must be 1–48 printable US-ASCII characters (RFC 5424 §6.2.5)');
      }
      return;
  }
}

/** Checks every destination and throws one {@link AlertExportConfigError} listing all problems. */
export function validateDestinations(destinations: readonly AlertDestination[]): void {
  const violations: ExportConfigViolation[] = [];
  const add = (path: string, message: string) => violations.push({ path, message });
  destinations.forEach((destination, index) => {
    const at = `destinations[${index}]`;
    const kind = (destination as { kind?: unknown }).kind;
    if (kind !== 'webhook' && kind !== 'syslog') add(`${at}.kind`, 'must be webhook or syslog');
    else checkDestination(destination, at, add);
  });
  if (violations.length > 0) throw new AlertExportConfigError(violations);
}
