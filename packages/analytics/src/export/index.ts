/**
 * Alert export: alert events (created, updated, dismissed, resolved) to webhooks (signed JSON, retried with backoff) and
 * syslog collectors (RFC 5424 with a CEF body over UDP, TCP or TLS).
 */
export {
  createAlertExporter,
  exportOnAlert,
  exportOnStatusChange,
  type AlertExporter,
  type AlertExporterOptions,
} from './alert-exporter.js';
export { backoffDelay, parseRetryAfter, DEFAULT_RETRY } from './backoff.js';
export { CEF_SEVERITY, escapeCefHeader, escapeCefValue, formatCef, type CefOptions } from './cef.js';
export {
  SYSLOG_FACILITIES,
  SYSLOG_SEVERITY,
  UDP_MAX_BYTES,
  formatSyslog,
  type SyslogHeader,
} from './syslog-format.js';
export { frameOctetCounted } from './syslog-transport.js';
export { DELIVERY_HEADER, SIGNATURE_HEADER, signBody } from './webhook-transport.js';
export {
  AlertExportConfigError,
  destinationViolations,
  validateDestinations,
  type ExportConfigViolation,
} from './validate-destinations.js';
export { LIFECYCLE_EVENTS } from './types.js';
export type { WebhookPayload } from './webhook-payload.js';
export type {
  AlertDestination,
  AlertExportEvent,
  AlertExportFailure,
  DestinationStats,
  ExportFailureReason,
  RetryPolicy,
  SyslogDestination,
  WebhookDestination,
} from './types.js';
