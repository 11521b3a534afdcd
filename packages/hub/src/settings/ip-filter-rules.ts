import { isIP } from 'node:net';
import type { IpFilterRule } from '@vigil/storage';
import type { ServiceViolation } from '../registry/index.js';

/** IoT Hub's classic IP filter holds at most 10 rules (reference/iothub-mqtt.md §5.3, DOC-IPF). */
export const MAX_IP_FILTER_RULES = 10;

const RULE_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/** An IP filter as a caller writes it: rules applied in order, first match wins, else the default. */
export interface IpFilterInput {
  readonly defaultAction: 'accept' | 'reject';
  readonly rules: readonly IpFilterRule[];
}

/** Why `mask` is not an IPv4/IPv6 address or CIDR block, or undefined. */
export function ipMaskProblem(mask: string): string | undefined {
  const [base = '', prefix, extra] = mask.split('/');
  if (extra !== undefined) return 'has more than one "/"';
  const family = isIP(base);
  if (family === 0) return `"${base.slice(0, 64)}" is not an IPv4 or IPv6 address`;
  if (prefix === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be 0–${max}`;
  return undefined;
}

/** Every problem with an IP filter, with paths (`rules[2].ipMask`). */
export function ipFilterViolations(input: IpFilterInput): ServiceViolation[] {
  const out: ServiceViolation[] = [];
  if (input.defaultAction !== 'accept' && input.defaultAction !== 'reject') {
    out.push({ path: 'defaultAction', message: 'must be accept or reject' });
  }
  if (input.rules.length > MAX_IP_FILTER_RULES) {
    out.push({ path: 'rules', message: `at most ${MAX_IP_FILTER_RULES} rules` });
  }
  const seen = new Set<string>();
  input.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (!RULE_NAME.test(rule.name)) {
      out.push({ path: `${at}.name`, message: 'must be 1–128 letters, digits, "_", ".", ":" or "-"' });
    } else if (seen.has(rule.name.toLowerCase())) {
      out.push({ path: `${at}.name`, message: `"${rule.name}" is used by an earlier rule` });
    }
    seen.add(rule.name.toLowerCase());
    if (rule.action !== 'accept' && rule.action !== 'reject') {
      out.push({ path: `${at}.action`, message: 'must be accept or reject' });
    }
    const problem = ipMaskProblem(rule.ipMask);
    if (problem !== undefined) out.push({ path: `${at}.ipMask`, message: problem });
  });
  return out;
}
