import type { Alert, AlertRepository, Store } from '@vigil/storage';
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

/**
 * Told about every alert a finding created or merged into, e.g. to export it; not told about a
 * replayed occurrence (`duplicate`), so replaying the ingest log exports nothing twice.
 */
export type AlertHook = (alert: Alert, result: 'created' | 'merged') => void;

/** A view of `target` whose `overrides` replace some members; the rest stay bound to `target`. */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  const own = overrides as Record<PropertyKey, unknown>;
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(own, property)) return own[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * The store as every detection path sees it (records, time-based checks), with `alerts.raise`
 * reporting created and merged alerts to `hook`. A throwing hook goes to `onError`: exporting must
 * never make a record fail and be retried.
 */
export function observeAlerts<S extends Pick<Store, 'alerts'>>(
  store: S,
  hook: AlertHook,
  onError: (error: unknown) => void = () => undefined,
): S {
  const alerts = store.alerts;
  const raise: AlertRepository['raise'] = async (occurrence) => {
    const raised = await alerts.raise(occurrence);
    if (raised.result !== 'duplicate') {
      try {
        hook(raised.alert, raised.result);
      } catch (error) {
        onError(error);
      }
    }
    return raised;
  };
  return overriding(store, { alerts: overriding(alerts, { raise }) } as Partial<S>);
}

/** Told about every alert whose status an analyst changed (dismissed or resolved), e.g. to export it. */
export type AlertStatusHook = (alert: Alert) => void;

/**
 * The store with `alerts.setStatus` reporting the changed alert to `hook` (the API dismisses and
 * resolves through it). A throwing hook goes to `onError`: the status change itself has happened.
 */
export function observeAlertStatus<S extends Pick<Store, 'alerts'>>(
  store: S,
  hook: AlertStatusHook,
  onError: (error: unknown) => void = () => undefined,
): S {
  const alerts = store.alerts;
  const setStatus: AlertRepository['setStatus'] = async (id, status, options) => {
    const changed = await alerts.setStatus(id, status, options);
    try {
      hook(changed);
    } catch (error) {
      onError(error);
    }
    return changed;
  };
  return overriding(store, { alerts: overriding(alerts, { setStatus }) } as Partial<S>);
}
