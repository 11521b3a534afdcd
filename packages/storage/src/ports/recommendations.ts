import type { JsonObject, Millis, Page } from './common.js';
import type { Severity, SeverityTally } from './alerts.js';

/** A recommendation is raised while its condition holds and resolved when it clears. */
export type RecommendationState = 'raised' | 'resolved';

/** A posture finding about a device or the hub (deviceId `''` for hub-wide ones). */
export interface Recommendation {
  readonly id: number;
  readonly typeId: string;
  readonly deviceId: string;
  readonly key: string;
  readonly severity: Severity;
  readonly state: RecommendationState;
  readonly details: JsonObject;
  readonly raisedAt: Millis;
  readonly resolvedAt: Millis | null;
  readonly updatedAt: Millis;
}

/** Identifies one recommendation. */
export interface RecommendationKey {
  readonly typeId: string;
  readonly deviceId: string;
  readonly key: string;
}

/** What to select recommendations by. */
export interface RecommendationFilter {
  readonly state?: RecommendationState;
  readonly deviceId?: string;
}

/** Orders of a recommendation list; ties break by id, newest first. */
export type RecommendationSort = 'updated' | 'raised' | 'severity';

/** Recommendations (one row per key, raised again when the condition returns). */
export interface RecommendationRepository {
  /** Raises (or keeps raised, refreshing details); a resolved one is raised again with a new `raisedAt`. */
  raise(
    recommendation: RecommendationKey & {
      readonly severity: Severity;
      readonly details?: JsonObject;
      readonly at: Millis;
    },
  ): Promise<Recommendation>;
  /** Resolves a raised recommendation; false when none was raised. */
  resolve(key: RecommendationKey, at: Millis): Promise<boolean>;
  get(key: RecommendationKey): Promise<Recommendation | undefined>;
  /**
   * Most recently updated first unless `sort` says otherwise; `offset` pages through the result.
   * With `afterId` the rows come in id order instead, starting after that id: a cursor for scans
   * that must see every matching row (pass the last id of a page).
   */
  list(
    filter?: RecommendationFilter &
      Page & {
        readonly sort?: RecommendationSort;
        readonly offset?: number;
        readonly typeId?: string;
        readonly afterId?: number;
      },
  ): Promise<Recommendation[]>;
  /** How many recommendations match (paging totals, the posture summary). */
  count(filter?: RecommendationFilter): Promise<number>;
  /** How many match, per device and severity: an aggregate over every match, no row limit. */
  tally(filter?: RecommendationFilter): Promise<SeverityTally[]>;
}
