import type { Alert, Severity } from '@vigil/storage';
import { cefEvidence, formatCef } from './cef.js';
import type { AlertExportEvent } from './types.js';

/** Syslog facility codes by name (RFC 5424 §6.2.1, Table 1, with the usual names). */
export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  audit: 13,
  alert: 14,
  clock: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** Syslog severity per alert severity: high → error (3), medium → warning (4), low → notice (5). */
export const SYSLOG_SEVERITY: Readonly<Record<Severity, number>> = { high: 3, medium: 4, low: 5 };

/** Largest UDP message sent: RFC 5426 §3.2 says receivers should accept 2048 octets. */
export const UDP_MAX_BYTES = 2048;

/** Evidence cut for every syslog transport, so one alert never becomes a megabyte line. */
export const DEFAULT_EVIDENCE_BYTES = 4096;

/** Resolves a facility name or code; `undefined` when unknown. */
export function facilityCode(facility: string | number | undefined): number | undefined {
  if (facility === undefined) return SYSLOG_FACILITIES.local0;
  if (typeof facility === 'number')
    return Number.isInteger(facility) && facility >= 0 && facility <= 23 ? facility : undefined;
  return SYSLOG_FACILITIES[facility.toLowerCase()];
}

/**
 * An RFC 5424 header field: printable US-ASCII only (§6), at most `max` characters, `-` when empty
 * (the NILVALUE).
 */
function headerField(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return printable === '' ? '-' : printable;
}

/** What the RFC 5424 header says besides the alert. */
export interface SyslogHeader {
  readonly facility: number;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly now: number;
}

/** Cuts a UTF-8 string to `max` bytes at a character boundary. */
function cutBytes(text: string, max: number): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= max) return text;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString();
}

/**
 * Formats an alert event as an RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID -
 * CEF:0|…`. MSGID is the alert type id (cut to RFC 5424's 32 characters; the CEF signature id keeps
 * it whole). STRUCTURED-DATA is the NILVALUE: an SD-ID of our own would need a registered private
 * enterprise number (§6.3.2), and the CEF body already carries every field. MSG is plain UTF-8 without
 * a BOM, as CEF collectors expect. With `maxBytes` the evidence is cut so the whole message fits.
 */
export function formatSyslog(
  alert: Alert,
  event: AlertExportEvent,
  header: SyslogHeader,
  options: { readonly evidenceBytes: number; readonly maxBytes?: number },
): string {
  const pri = header.facility * 8 + SYSLOG_SEVERITY[alert.severity];
  const prefix = [
    `<${pri}>1`,
    new Date(header.now).toISOString(),
    headerField(header.hostname, 255),
    headerField(header.appName, 48),
    headerField(header.procId, 128),
    headerField(alert.typeId, 32),
    '-',
  ].join(' ');
  const whole = `${prefix} ${formatCef(alert, event, options)}`;
  if (options.maxBytes === undefined || Buffer.byteLength(whole) <= options.maxBytes) return whole;
  const withoutEvidence =
    Buffer.byteLength(whole) - Buffer.byteLength(cefEvidence(alert.evidence, options.evidenceBytes));
  const budget = Math.max(0, Math.min(options.evidenceBytes, options.maxBytes - withoutEvidence));
  // Past the evidence cut only an absurdly long title or device id can still overflow: cut bytes.
  return cutBytes(`${prefix} ${formatCef(alert, event, { evidenceBytes: budget })}`, options.maxBytes);
}
