import type { CustomRule } from '@vigil/storage';
import { ALLOWLIST_RULES } from '../detect/allowlists.js';

/** What a time-window rule counts. */
export type RangeRuleSource =
  /**
   * Operations-log entries of the device with this name: one each, or, with `sumsDetailsCount`, the
   * sum of their `details.count` (the hub records D2C traffic as one entry per counting window).
   */
  | { readonly kind: 'operation'; readonly operation: string; readonly sumsDetailsCount?: true }
  /** Items of the device's own security events. */
  | { readonly kind: 'active-connections' }
  | { readonly kind: 'failed-logins' };

/** A time-window ("number of … is outside the allowed range") rule type (reference §4.4). */
export interface RangeRuleType {
  readonly ruleId: string;
  readonly displayName: string;
  readonly source: RangeRuleSource;
}

/**
 * The time-window rules. IoT Hub also had AMQP and HTTP variants of the C2D/D2C rules and a file
 * upload rule; Vigil's hub speaks MQTT only and has no file upload, so those would always count zero
 * and are not offered.
 */
export const RANGE_RULE_TYPES: readonly RangeRuleType[] = [
  {
    ruleId: 'ActiveConnectionsNotInAllowedRange',
    displayName: 'Number of active connections is not in allowed range',
    source: { kind: 'active-connections' },
  },
  {
    ruleId: 'FailedLocalLoginsNotInAllowedRange',
    displayName: 'Number of failed local logins is not in allowed range',
    source: { kind: 'failed-logins' },
  },
  {
    ruleId: 'MqttC2DMessagesNotInAllowedRange',
    displayName: 'Number of cloud to device messages (MQTT protocol) is not in allowed range',
    source: { kind: 'operation', operation: 'c2dSent' },
  },
  {
    ruleId: 'MqttC2DRejectedMessagesNotInAllowedRange',
    displayName: 'Number of rejected cloud to device messages (MQTT protocol) is not in allowed range',
    source: { kind: 'operation', operation: 'c2dRejected' },
  },
  {
    ruleId: 'MqttD2CMessagesNotInAllowedRange',
    displayName: 'Number of device to cloud messages (MQTT protocol) is not in allowed range',
    source: { kind: 'operation', operation: 'd2cReceived', sumsDetailsCount: true },
  },
  {
    ruleId: 'DirectMethodInvokesNotInAllowedRange',
    displayName: 'Number of direct method invokes is not in allowed range',
    source: { kind: 'operation', operation: 'methodInvoked' },
  },
  {
    ruleId: 'QueuePurgesNotInAllowedRange',
    displayName: 'Number of command queue purges is not in allowed range',
    // Purges, not purged messages: `details.count` of a purge is how many messages it removed.
    source: { kind: 'operation', operation: 'c2dPurged' },
  },
  {
    ruleId: 'TwinUpdatesNotInAllowedRange',
    displayName: 'Number of module twin updates is not in allowed range',
    source: { kind: 'operation', operation: 'twinUpdated' },
  },
  {
    ruleId: 'UnauthorizedOperationsNotInAllowedRange',
    displayName: 'Number of unauthorized operations is not in allowed range',
    source: { kind: 'operation', operation: 'unauthorizedOperation' },
  },
];

/** The window a new group's rules start with (reference §4.4). */
export const DEFAULT_RULE_WINDOW = 'PT15M';

/**
 * The rules of a new security group: every rule present and disabled, ranges 0/0 over PT15M, empty
 * allow-lists — what IoT Hub returned for a new group (reference §4.4).
 */
export function defaultSecurityGroupRules(): CustomRule[] {
  return [
    ...RANGE_RULE_TYPES.map((type): CustomRule => ({
      kind: 'range',
      ruleId: type.ruleId,
      enabled: false,
      min: 0,
      max: 0,
      window: DEFAULT_RULE_WINDOW,
    })),
    ...Object.keys(ALLOWLIST_RULES).map((ruleId): CustomRule => ({
      kind: 'allowlist',
      ruleId,
      enabled: false,
      values: [],
    })),
  ];
}

/**
 * Bounds semantics: the allowed range is inclusive at both ends. A count alerts when it is below
 * `min` or above `max`; a count equal to either bound is allowed.
 */
export function isOutsideRange(count: number, rule: { readonly min: number; readonly max: number }): boolean {
  return count < rule.min || count > rule.max;
}
