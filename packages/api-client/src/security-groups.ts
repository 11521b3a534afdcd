/** Device security groups and their custom alert rules (`/api/security-groups`, reference §4.4). */
import { ifMatchHeader, type Requester } from './request.js';

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

/** A device security group (devices join it with the twin tag `SecurityGroup`) and its rules. */
export interface SecurityGroupView {
  readonly name: string;
  readonly etag: string;
  /** Epoch milliseconds. */
  readonly updatedAt: number;
  readonly rules: readonly GroupRule[];
}

/** A rule as sent back: the display name is the server's. */
export type RuleUpdate = Omit<RangeRule, 'displayName'> | Omit<AllowlistRule, 'displayName'>;

const path = (name: string): string => `/api/security-groups/${encodeURIComponent(name)}`;

/** Lists, reads, changes and deletes security groups. Changes need an admin token. */
export class SecurityGroupsApi {
  readonly #request: Requester;

  constructor(request: Requester) {
    this.#request = request;
  }

  /** Every security group. */
  async list(): Promise<readonly SecurityGroupView[]> {
    return (
      await this.#request<{ readonly items: readonly SecurityGroupView[] }>('GET', '/api/security-groups')
    ).items;
  }

  /** One group; `NOT_FOUND` when it does not exist. */
  get(name: string): Promise<SecurityGroupView> {
    return this.#request('GET', path(name));
  }

  /**
   * Merges `rules` into the group by `ruleId`, creating the group (with default rules) when it does
   * not exist; `VALIDATION_FAILED` lists every problem, `PRECONDITION_FAILED` on a stale `ifMatch`.
   */
  putRules(name: string, rules: readonly RuleUpdate[], ifMatch?: string): Promise<SecurityGroupView> {
    return this.#request('PUT', path(name), { rules }, ifMatchHeader(ifMatch));
  }

  /** Deletes a group (`CONFLICT` for `default`, `NOT_FOUND` when absent). */
  delete(name: string): Promise<void> {
    return this.#request('DELETE', path(name));
  }
}
