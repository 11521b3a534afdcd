import { BlockList, isIP } from 'node:net';
import type { IpFilterRule } from '@vigil/storage';

/** The verdict of the IP filter for one address, naming the rule that decided it. */
export interface IpFilterVerdict {
  readonly action: 'accept' | 'reject';
  /** The first matching rule's name, or null when the default action applied. */
  readonly rule: string | null;
}

/** `::ffff:10.0.0.1` (how a dual-stack socket reports IPv4) as `10.0.0.1`. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function ruleMatches(rule: IpFilterRule, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const [base = '', prefixText] = rule.ipMask.trim().split('/');
  const ruleFamily = isIP(base);
  if (ruleFamily !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    if (prefixText === undefined) list.addAddress(base, type);
    else list.addSubnet(base, Number(prefixText), type);
  } catch {
    // A rule the settings API should have refused never matches; the default action decides.
    return false;
  }
  return list.check(address, type);
}

/**
 * Applies IoT Hub's IP filter: rules in order, the first whose address or CIDR contains the
 * address decides, otherwise the default action (reference/iothub-mqtt.md §5.3).
 */
export function evaluateIpFilter(
  filter: { readonly defaultAction: 'accept' | 'reject'; readonly rules: readonly IpFilterRule[] },
  remoteAddress: string,
): IpFilterVerdict {
  const address = normaliseAddress(remoteAddress);
  for (const rule of filter.rules) {
    if (ruleMatches(rule, address)) return { action: rule.action, rule: rule.name };
  }
  return { action: filter.defaultAction, rule: null };
}
