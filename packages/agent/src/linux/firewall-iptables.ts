/**
 * Parser of `iptables-save` / `ip6tables-save` output into firewall rules, following the Linux
 * agents' conventions (reference/azure-security-module.md §2.2 FirewallConfiguration): only the
 * `filter` table; priority = index within the chain; each built-in chain's default policy appended
 * as its last rule; INPUT → In, OUTPUT → Out; ACCEPT → Allow, DROP/REJECT → Deny, any other target →
 * Other with ExtraDetails `Action`; negated matches written `!(value)`; multiple ports joined by `,`.
 */
import type { FirewallRule } from '@vigil/protocol';

/** Split a rule line into words, honouring double quotes (`--comment "allow ssh"`). */
export function splitRuleWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  }
  return words;
}

/** Direction of a built-in chain (reference §2.2: INPUT → In, OUTPUT → Out, others none). */
export function chainDirection(chain: string): 'in' | 'out' | undefined {
  const c = chain.toLowerCase();
  if (c === 'input') return 'in';
  if (c === 'output') return 'out';
  return undefined;
}

/** The agent-level action of a target or verdict name. */
export function actionOf(target: string): 'allow' | 'deny' | 'other' {
  const t = target.toUpperCase();
  if (t === 'ACCEPT') return 'allow';
  if (t === 'DROP' || t === 'REJECT') return 'deny';
  return 'other';
}

const FIELD: Readonly<Record<string, keyof Mutable>> = {
  '-s': 'sourceAddress',
  '--source': 'sourceAddress',
  '--src-range': 'sourceAddress',
  '-d': 'destinationAddress',
  '--destination': 'destinationAddress',
  '--dst-range': 'destinationAddress',
  '--sport': 'sourcePort',
  '--source-port': 'sourcePort',
  '--sports': 'sourcePort',
  '--source-ports': 'sourcePort',
  '--dport': 'destinationPort',
  '--destination-port': 'destinationPort',
  '--dports': 'destinationPort',
  '--destination-ports': 'destinationPort',
  '-p': 'protocol',
  '--protocol': 'protocol',
};

const DETAIL: Readonly<Record<string, string>> = {
  '-i': 'InInterface',
  '--in-interface': 'InInterface',
  '-o': 'OutInterface',
  '--out-interface': 'OutInterface',
  '--state': 'State',
  '--ctstate': 'State',
  '--comment': 'Comment',
  '--icmp-type': 'IcmpType',
  '--uid-owner': 'UidOwner',
};

type Mutable = {
  sourceAddress?: string;
  destinationAddress?: string;
  sourcePort?: string;
  destinationPort?: string;
  protocol?: string;
};

function ruleFromWords(words: readonly string[], ipVersion: 4 | 6): { chain: string; rule: FirewallRule } {
  const fields: Mutable = {};
  const details: Record<string, string> = { IpVersion: String(ipVersion) };
  let chain = '';
  let target: string | undefined;
  let negate = false;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '!') {
      negate = true;
      continue;
    }
    const value = words[i + 1];
    const shown = negate ? `!(${value})` : value;
    negate = false;
    if (word === '-A' || word === '--append') chain = value ?? '';
    else if (word === '-j' || word === '--jump' || word === '-g' || word === '--goto') target = value;
    else if (FIELD[word] !== undefined && shown !== undefined) fields[FIELD[word]] = shown;
    else if (DETAIL[word] !== undefined && shown !== undefined) details[DETAIL[word]] = shown;
    else continue; // module names (`-m tcp`), counters and flags without a value we keep
    i += 1;
  }
  const action = target === undefined ? 'other' : actionOf(target);
  if (action === 'other') details.Action = target ?? 'none';
  if (fields.sourcePort !== undefined) fields.sourcePort = fields.sourcePort.replace(/:/g, '-');
  if (fields.destinationPort !== undefined)
    fields.destinationPort = fields.destinationPort.replace(/:/g, '-');
  const direction = chainDirection(chain);
  return {
    chain,
    rule: {
      enabled: true,
      action,
      chainName: chain,
      ...(direction === undefined ? {} : { direction }),
      ...fields,
      ...(fields.protocol === undefined ? {} : { protocol: fields.protocol.toLowerCase() }),
      extraDetails: details,
    },
  };
}

/** Parses the `filter` table of `iptables-save` output; a line it cannot read is counted, not fatal. */
export function parseIptablesSave(
  text: string,
  ipVersion: 4 | 6 = 4,
): { rules: FirewallRule[]; badLines: number[] } {
  const byChain = new Map<string, FirewallRule[]>();
  const policies = new Map<string, string>();
  const badLines: number[] = [];
  let table = '';
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === 'COMMIT') return;
    if (line.startsWith('*')) {
      table = line.slice(1);
      return;
    }
    if (table !== 'filter') return;
    if (line.startsWith(':')) {
      const [name = '', policy = '-'] = line.slice(1).split(/\s+/);
      if (!byChain.has(name)) byChain.set(name, []);
      if (policy !== '-') policies.set(name, policy);
      return;
    }
    const words = splitRuleWords(line);
    if (words[0] !== '-A' || words[1] === undefined) {
      badLines.push(index + 1);
      return;
    }
    const { chain, rule } = ruleFromWords(words, ipVersion);
    const list = byChain.get(chain) ?? [];
    list.push({ ...rule, priority: list.length });
    byChain.set(chain, list);
  });
  const rules: FirewallRule[] = [];
  for (const [chain, list] of byChain) {
    rules.push(...list);
    const policy = policies.get(chain);
    if (policy !== undefined)
      rules.push(policyRule(chain, policy, list.length, { IpVersion: String(ipVersion) }));
  }
  return { rules, badLines };
}

/** A chain's default policy as its last rule (reference §2.2). */
export function policyRule(
  chain: string,
  policy: string,
  priority: number,
  details: Record<string, string> = {},
): FirewallRule {
  const action = actionOf(policy);
  const direction = chainDirection(chain);
  return {
    enabled: true,
    action,
    priority,
    chainName: chain,
    ...(direction === undefined ? {} : { direction }),
    extraDetails: { ...details, DefaultPolicy: 'true', ...(action === 'other' ? { Action: policy } : {}) },
  };
}

/** The three allow-all rules the agents report when the machine has no rules at all (reference §2.2). */
export function defaultAllowRules(): FirewallRule[] {
  return [
    { enabled: true, action: 'allow', priority: 0, chainName: 'INPUT', direction: 'in' },
    { enabled: true, action: 'allow', priority: 0, chainName: 'OUTPUT', direction: 'out' },
    { enabled: true, action: 'allow', priority: 0, chainName: 'FORWARD' },
  ];
}
