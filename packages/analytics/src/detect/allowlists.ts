import type { CustomRule } from '@vigil/storage';
import type { AlertFinding } from '../findings/finding.js';
import { eventTime, type DeviceMessage } from './context.js';
import { toEvidence } from './evidence.js';
import { cidrContains, parseCidr, type ParsedCidr } from './cidr.js';

/** The allow-list rule types of a device security group (reference §4.4). */
export const ALLOWLIST_RULES = {
  ConnectionToIpNotAllowed: 'Outbound connection to an IP that is not allowed',
  LocalUserNotAllowed: 'Login by a local user that is not allowed',
  ProcessNotAllowed: 'Execution of a process that is not allowed',
} as const;

/** One of the keys of {@link ALLOWLIST_RULES}. */
export type AllowlistRuleId = keyof typeof ALLOWLIST_RULES;

const REMEDIATION = [
  'Confirm whether the activity is legitimate; add it to the allow-list of the security group if so.',
];

/**
 * Allow-list custom alerts for one message, given the rules of the device's security group. Enabled
 * rules only; an enabled rule with an empty list allows nothing. Connections are checked outbound only,
 * users on logins (successful or not), processes by executable path or bare name.
 */
export function detectAllowlistViolations(
  input: DeviceMessage,
  rules: readonly CustomRule[],
): AlertFinding[] {
  const enabled = new Map<string, readonly string[]>();
  for (const rule of rules) {
    if (rule.kind === 'allowlist' && rule.enabled) enabled.set(rule.ruleId, rule.values);
  }
  if (enabled.size === 0) return [];
  const allowedNetworks = (enabled.get('ConnectionToIpNotAllowed') ?? []).flatMap((value) => {
    const parsed = parseCidr(value);
    return parsed === undefined ? [] : [parsed];
  });
  const findings: AlertFinding[] = [];
  const raise = (ruleId: AllowlistRuleId, key: string, at: number, evidence: object): void => {
    findings.push({
      kind: 'alert',
      typeId: `IoT_CA_${ruleId}`,
      deviceId: input.deviceId,
      key,
      severity: 'low',
      title: `Custom alert - ${ALLOWLIST_RULES[ruleId]}`,
      at,
      evidence: toEvidence(evidence),
      remediation: REMEDIATION,
    });
  };
  for (const event of input.message.events) {
    const at = eventTime(event.timeUtc, input.receivedAt);
    if (event.kind === 'network-activity' && enabled.has('ConnectionToIpNotAllowed')) {
      for (const flow of event.flows) {
        if (flow.direction === 'in') continue;
        if (!isAllowedAddress(flow.remoteAddress, allowedNetworks)) {
          raise('ConnectionToIpNotAllowed', flow.remoteAddress, at, { event: event.name, ...flow });
        }
      }
    } else if (event.kind === 'login' && enabled.has('LocalUserNotAllowed')) {
      const users = enabled.get('LocalUserNotAllowed') ?? [];
      for (const attempt of event.attempts) {
        const user = attempt.userName ?? attempt.userId ?? '';
        if (!users.includes(user)) raise('LocalUserNotAllowed', user, at, { event: event.name, ...attempt });
      }
    } else if (event.kind === 'process' && enabled.has('ProcessNotAllowed')) {
      const processes = enabled.get('ProcessNotAllowed') ?? [];
      for (const process of event.processes) {
        if (process.action === 'exit' || process.executable === undefined) continue;
        const name = process.executable.split('/').at(-1) ?? process.executable;
        if (!processes.includes(process.executable) && !processes.includes(name)) {
          raise('ProcessNotAllowed', process.executable, at, { event: event.name, ...process });
        }
      }
    }
  }
  return findings;
}

function isAllowedAddress(address: string, networks: readonly ParsedCidr[]): boolean {
  return networks.some((network) => cidrContains(network, address));
}
