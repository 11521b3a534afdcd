import type { Alert, JsonValue } from '@vigil/storage';
import type { AlertExportEvent } from './types.js';

/** The JSON document a webhook receives for each alert event (times as ISO 8601 UTC). */
export interface WebhookPayload {
  readonly event: AlertExportEvent;
  readonly deliveryId: string;
  readonly sentAt: string;
  readonly alert: {
    readonly id: number;
    readonly typeId: string;
    readonly title: string;
    readonly severity: Alert['severity'];
    /** `''` for hub-wide alerts. */
    readonly deviceId: string;
    readonly status: Alert['status'];
    readonly firstSeenAt: string;
    readonly lastSeenAt: string;
    readonly occurrences: number;
    readonly evidence: readonly JsonValue[];
    readonly remediation: readonly string[];
  };
}

/** Builds the webhook document of an alert event. */
export function webhookPayload(
  alert: Alert,
  event: AlertExportEvent,
  deliveryId: string,
  now: number,
): WebhookPayload {
  return {
    event,
    deliveryId,
    sentAt: new Date(now).toISOString(),
    alert: {
      id: alert.id,
      typeId: alert.typeId,
      title: alert.title,
      severity: alert.severity,
      deviceId: alert.deviceId,
      status: alert.status,
      firstSeenAt: new Date(alert.firstSeenAt).toISOString(),
      lastSeenAt: new Date(alert.lastSeenAt).toISOString(),
      occurrences: alert.occurrences,
      evidence: alert.evidence,
      remediation: alert.remediation,
    },
  };
}
