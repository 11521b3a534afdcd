import type { Store } from '@vigil/storage';
import type { Finding } from '../findings/finding.js';

/** How long an active alert absorbs new occurrences of the same (type, device, key). */
export const ALERT_DEDUP_WINDOW_MS = 24 * 3600_000;

/** Counts of what applying findings did. */
export interface ApplyOutcome {
  alertsCreated: number;
  alertsMerged: number;
  recommendationsRaised: number;
  recommendationsResolved: number;
}

/**
 * Writes findings through storage. `occurrencePrefix` (the ingest record id) makes every alert
 * occurrence idempotent, so replaying a record changes nothing.
 */
export async function applyFindings(
  store: Pick<Store, 'alerts' | 'recommendations'>,
  findings: readonly Finding[],
  occurrencePrefix: string,
  outcome: ApplyOutcome,
): Promise<void> {
  for (const [index, finding] of findings.entries()) {
    if (finding.kind === 'alert') {
      const raised = await store.alerts.raise({
        typeId: finding.typeId,
        deviceId: finding.deviceId,
        key: finding.key,
        occurrenceId: `${occurrencePrefix}:${index}`,
        severity: finding.severity,
        title: finding.title,
        at: finding.at,
        evidence: finding.evidence,
        remediation: finding.remediation,
        dedupWindowMs: ALERT_DEDUP_WINDOW_MS,
      });
      if (raised.result === 'created') outcome.alertsCreated += 1;
      if (raised.result === 'merged') outcome.alertsMerged += 1;
    } else if (finding.state === 'raised') {
      await store.recommendations.raise({
        typeId: finding.typeId,
        deviceId: finding.deviceId,
        key: finding.key,
        severity: finding.severity,
        details: finding.details,
        at: finding.at,
      });
      outcome.recommendationsRaised += 1;
    } else {
      const resolved = await store.recommendations.resolve(
        { typeId: finding.typeId, deviceId: finding.deviceId, key: finding.key },
        finding.at,
      );
      if (resolved) outcome.recommendationsResolved += 1;
    }
  }
}
