import type { JsonObject, JsonValue, Millis, Severity } from '@vigil/storage';

/** A possible compromise found by a detection; the runner raises it as an alert occurrence. */
export interface AlertFinding {
  readonly kind: 'alert';
  readonly typeId: string;
  readonly deviceId: string;
  /** What makes two findings the same alert within the dedup window (e.g. the remote address). */
  readonly key: string;
  readonly severity: Severity;
  readonly title: string;
  readonly at: Millis;
  /** The events or operations that caused it, as JSON. */
  readonly evidence: JsonValue;
  readonly remediation: readonly string[];
}

/** A posture condition that started or stopped holding. */
export interface RecommendationFinding {
  readonly kind: 'recommendation';
  readonly typeId: string;
  /** `''` for hub-wide recommendations. */
  readonly deviceId: string;
  readonly key: string;
  readonly severity: Severity;
  readonly state: 'raised' | 'resolved';
  readonly at: Millis;
  readonly details: JsonObject;
}

/** What the detection core returns. */
export type Finding = AlertFinding | RecommendationFinding;
