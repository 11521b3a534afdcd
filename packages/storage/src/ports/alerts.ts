import type { JsonValue, Millis, Page } from './common.js';

/** An alert's lifecycle state. */
export type AlertStatus = 'active' | 'dismissed' | 'resolved';

/** How bad a finding is. */
export type Severity = 'low' | 'medium' | 'high';

/** An alert: a possible compromise, deduplicated by (type, device, key). */
export interface Alert {
  readonly id: number;
  readonly typeId: string;
  readonly deviceId: string;
  readonly key: string;
  readonly severity: Severity;
  readonly status: AlertStatus;
  readonly title: string;
  readonly firstSeenAt: Millis;
  readonly lastSeenAt: Millis;
  readonly occurrences: number;
  /** The newest evidence items (events or operations that caused it), bounded. */
  readonly evidence: readonly JsonValue[];
  readonly remediation: readonly string[];
  readonly updatedAt: Millis;
}

/** One entry of an alert's history. */
export interface AlertHistoryEntry {
  readonly at: Millis;
  readonly action: 'raised' | 'occurred' | 'dismissed' | 'resolved';
  readonly actor: string | null;
  readonly note: string | null;
}

/** A detector's finding, to be raised or folded into an active alert. */
export interface AlertOccurrence {
  readonly typeId: string;
  readonly deviceId: string;
  readonly key: string;
  /** Identifies this occurrence (e.g. the ingest record id): raising the same one twice changes nothing. */
  readonly occurrenceId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly at: Millis;
  readonly evidence?: JsonValue;
  readonly remediation?: readonly string[];
  /** An active alert last seen within this window absorbs the occurrence; 24 h by default. */
  readonly dedupWindowMs?: number;
}

/** What {@link AlertRepository.raise} did. */
export interface RaiseOutcome {
  readonly alert: Alert;
  /** `created`: a new alert; `merged`: counted on an active one; `duplicate`: this occurrence was seen before. */
  readonly result: 'created' | 'merged' | 'duplicate';
}

/** What to select alerts by. */
export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly deviceId?: string;
  readonly typeId?: string;
  readonly severity?: Severity;
  /** Last seen at or after this time. */
  readonly since?: Millis;
}

/** A count of findings of one device and severity (device `''` is the hub itself). */
export interface SeverityTally {
  readonly deviceId: string;
  readonly severity: Severity;
  readonly count: number;
}

/** The windows of {@link AlertRepository.histogram}. */
export interface AlertHistogramOptions {
  readonly from: Millis;
  readonly bucketMs: number;
  /** How many windows (1…1000). */
  readonly buckets: number;
}

/** One window of a histogram: its index from `from`, a severity and how many alerts. */
export interface AlertHistogramBucket {
  readonly bucket: number;
  readonly severity: Severity;
  readonly count: number;
}

/** Orders of an alert list; ties break by id, newest first. */
export type AlertSort = 'lastSeen' | 'firstSeen' | 'severity' | 'occurrences';

/** Alerts and their history. */
export interface AlertRepository {
  raise(occurrence: AlertOccurrence): Promise<RaiseOutcome>;
  get(id: number): Promise<Alert | undefined>;
  /** Newest (by last seen) first unless `sort` says otherwise; `offset` pages through the result. */
  list(
    filter?: AlertFilter & Page & { readonly sort?: AlertSort; readonly offset?: number },
  ): Promise<Alert[]>;
  /** How many alerts match (for paging totals and dashboards). */
  count(filter?: AlertFilter): Promise<number>;
  /** How many alerts match, per device and severity: an aggregate over every match, no row limit. */
  tally(filter?: AlertFilter): Promise<SeverityTally[]>;
  /**
   * How many alerts were first seen in each of `buckets` consecutive windows of `bucketMs` starting
   * at `from`, per severity (windows with none are left out): an aggregate, no row limit.
   */
  histogram(options: AlertHistogramOptions): Promise<AlertHistogramBucket[]>;
  /** Dismisses or resolves an active alert (or reactivation is not offered: a new occurrence raises a new alert); `NOT_FOUND` when absent. */
  setStatus(
    id: number,
    status: 'dismissed' | 'resolved',
    options?: { readonly at?: Millis; readonly actor?: string; readonly note?: string },
  ): Promise<Alert>;
  /** Oldest first. */
  history(id: number): Promise<AlertHistoryEntry[]>;
}
