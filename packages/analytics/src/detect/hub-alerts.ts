import type { NewOperation } from '@vigil/storage';
import { ALERT_TYPES, type AlertType } from '../catalogue/alert-types.js';
import type { AlertFinding } from '../findings/finding.js';
import { toEvidence } from './evidence.js';

/**
 * Which operations-log entries raise which built-in alert (reference §4.3). Authentication failures are
 * told apart by the gateway's `reason` (the hub's AUTH_FAILURE_REASONS).
 */
function alertTypeFor(operation: NewOperation): AlertType | undefined {
  switch (operation.operation) {
    case 'authenticationFailed':
      switch (operation.reason ?? '') {
        case 'thumbprintMismatch':
          return ALERT_TYPES.thumbprintMismatch;
        case 'certificateExpired':
          return ALERT_TYPES.certificateExpired;
        case 'sasExpired':
          return ALERT_TYPES.sasExpired;
        case 'sasSignatureMismatch':
          return ALERT_TYPES.sasInvalidSignature;
        default:
          return undefined;
      }
    case 'certificateAdded':
      return ALERT_TYPES.certificateAdded;
    case 'certificateDeleted':
      return ALERT_TYPES.certificateDeleted;
    case 'certificateAddFailed':
      return ALERT_TYPES.certificateAddFailed;
    case 'certificateDeleteFailed':
      return ALERT_TYPES.certificateDeleteFailed;
    case 'diagnosticSettingChanged':
      return ALERT_TYPES.diagnosticSettingChanged;
    case 'diagnosticSettingDeleted':
      return ALERT_TYPES.diagnosticSettingDeleted;
    default:
      return undefined;
  }
}

/**
 * The built-in hub alerts for one operations-log entry. Hub-wide alerts (certificates, diagnostic
 * settings) carry device id `''`; the key keeps one alert per certificate, setting or source address.
 */
export function detectHubAlerts(operation: NewOperation): AlertFinding[] {
  const type = alertTypeFor(operation);
  if (type === undefined) return [];
  const details = operation.details ?? {};
  const subject =
    typeof details.name === 'string'
      ? details.name
      : typeof details.certificate === 'string'
        ? details.certificate
        : (operation.sourceAddress ?? '');
  return [
    {
      kind: 'alert',
      typeId: type.typeId,
      deviceId: operation.deviceId ?? '',
      key: subject,
      severity: type.severity,
      title: type.title,
      at: operation.at,
      evidence: toEvidence({ ...operation, details }),
      remediation: type.remediation,
    },
  ];
}
