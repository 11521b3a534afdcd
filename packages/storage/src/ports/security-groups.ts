import type { IfMatch, Millis } from './common.js';

/** A custom alert rule of a device security group (reference/azure-security-module.md §4.4). */
export type CustomRule =
  | {
      readonly kind: 'range';
      /** e.g. `ActiveConnectionsNotInAllowedRange`. */
      readonly ruleId: string;
      readonly enabled: boolean;
      readonly min: number;
      readonly max: number;
      /** ISO-8601 duration, e.g. `PT15M`. */
      readonly window: string;
    }
  | {
      readonly kind: 'allowlist';
      readonly ruleId: string;
      readonly enabled: boolean;
      readonly values: readonly string[];
    };

/** A device security group and its rules. */
export interface SecurityGroup {
  readonly name: string;
  readonly rules: readonly CustomRule[];
  readonly etag: string;
  readonly updatedAt: Millis;
}

/** Device security groups; `default` always exists and cannot be deleted. */
export interface SecurityGroupRepository {
  get(name: string): Promise<SecurityGroup | undefined>;
  list(): Promise<SecurityGroup[]>;
  /** Creates or replaces a group's rules; `PRECONDITION_FAILED` on an etag mismatch. */
  put(
    group: { readonly name: string; readonly rules: readonly CustomRule[] },
    options?: IfMatch & { readonly now?: Millis },
  ): Promise<SecurityGroup>;
  /** False when absent; refuses `default` with `INVALID_OPTIONS`. */
  delete(name: string): Promise<boolean>;
}
