/**
 * Typed calls for the server's security-group routes (`/api/security-groups`), on `client.request`
 * so the dashboard does not depend on the shared client growing these methods.
 */
import type { VigilClient } from '@vigil/api-client';

/** A time-window rule: alerts when the count over `window` is below `min` or above `max`. */
export interface RangeRule {
  readonly kind: 'range';
  readonly ruleId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly min: number;
  readonly max: number;
  /** ISO-8601 duration, PT1M to P7D. */
  readonly window: string;
}

/** An allow-list rule: alerts on anything outside `values`. */
export interface AllowlistRule {
  readonly kind: 'allowlist';
  readonly ruleId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly values: readonly string[];
}

/** One rule of a group, as the API shows it (every rule is present, defaults filled in). */
export type GroupRule = RangeRule | AllowlistRule;

/** A device security group and its custom rules (reference §4.4). */
export interface SecurityGroupView {
  readonly name: string;
  readonly etag: string;
  readonly updatedAt: number;
  readonly rules: readonly GroupRule[];
}

/** A rule as sent back: the display name is the server's, not ours. */
export type RuleUpdate = Omit<RangeRule, 'displayName'> | Omit<AllowlistRule, 'displayName'>;

/** Every security group. */
export function listSecurityGroups(
  client: VigilClient,
): Promise<{ readonly items: readonly SecurityGroupView[] }> {
  return client.request('GET', '/api/security-groups');
}

/** Merges `rules` into the group by `ruleId` (creating the group); `VALIDATION_FAILED` lists every problem. */
export function putSecurityGroupRules(
  client: VigilClient,
  name: string,
  rules: readonly RuleUpdate[],
): Promise<SecurityGroupView> {
  return client.request('PUT', `/api/security-groups/${encodeURIComponent(name)}`, { rules });
}
