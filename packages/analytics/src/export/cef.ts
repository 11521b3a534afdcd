import type { Alert, Severity } from '@vigil/storage';
import type { AlertExportEvent } from './types.js';

/** The product version in CEF headers. */
export const CEF_PRODUCT_VERSION = '0.1.0';

/** CEF severity (0–10) per alert severity: the middle of the CEF low/medium/high bands. */
export const CEF_SEVERITY: Readonly<Record<Severity, number>> = { low: 3, medium: 5, high: 8 };

/**
 * Escapes a CEF header field: `\` and `|` are escaped with a backslash (ArcSight CEF spec,
 * "Character encoding"); a header cannot span lines, so line breaks become spaces.
 */
export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

/**
 * Escapes a CEF extension value: `\` and `=` are escaped with a backslash, line breaks are written as
 * `\n` / `\r` (ArcSight CEF spec); `|` needs no escape in extensions.
 */
export function escapeCefValue(value: string): string {
  return value.replace(/[\\=\r\n]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}

/** Options of {@link formatCef}. */
export interface CefOptions {
  /**
   * Most UTF-8 bytes the escaped evidence value may take; longer evidence is cut at a character
   * boundary and ends with `…`.
   */
  readonly evidenceBytes: number;
}

/** Evidence as compact JSON, escaped, cut to a byte budget without splitting a character or escape. */
export function cefEvidence(evidence: Alert['evidence'], maxBytes: number): string {
  const full = escapeCefValue(JSON.stringify(evidence));
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const marker = '…';
  let budget = maxBytes - Buffer.byteLength(marker);
  let out = '';
  for (const char of JSON.stringify(evidence)) {
    const piece = escapeCefValue(char);
    const bytes = Buffer.byteLength(piece);
    if (bytes > budget) break;
    out += piece;
    budget -= bytes;
  }
  return out + marker;
}

/**
 * Formats an alert event as one CEF line:
 * `CEF:0|Vigil|Vigil|<version>|<typeId>|<title>|<severity>|<extensions>`.
 * Extensions: `rt` (last seen, epoch ms), `start` (first seen), `dvchost` (device; absent for
 * hub-wide alerts), `cnt` (occurrences), `externalId` (alert id), `act` (the export event),
 * `cs1` evidence (compact JSON), `cs2` status.
 */
export function formatCef(alert: Alert, event: AlertExportEvent, options: CefOptions): string {
  const header = [
    'CEF:0',
    'Vigil',
    'Vigil',
    CEF_PRODUCT_VERSION,
    escapeCefHeader(alert.typeId),
    escapeCefHeader(alert.title),
    String(CEF_SEVERITY[alert.severity]),
  ].join('|');
  const extensions: [string, string][] = [
    ['rt', String(alert.lastSeenAt)],
    ['start', String(alert.firstSeenAt)],
    ...(alert.deviceId === '' ? [] : [['dvchost', escapeCefValue(alert.deviceId)] as [string, string]]),
    ['cnt', String(alert.occurrences)],
    ['externalId', String(alert.id)],
    ['act', event],
    ['cs2Label', 'status'],
    ['cs2', alert.status],
    // Evidence last: it is the part cut to fit, and receivers read the short fields regardless.
    ['cs1Label', 'evidence'],
    ['cs1', cefEvidence(alert.evidence, options.evidenceBytes)],
  ];
  return `${header}|${extensions.map(([key, value]) => `${key}=${value}`).join(' ')}`;
}
