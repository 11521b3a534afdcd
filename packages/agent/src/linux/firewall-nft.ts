/**
 * Parser of `nft -j list ruleset` (libnftables JSON, see libnftables-json(5)) into firewall rules,
 * with the same conventions as the iptables parser (reference/azure-security-module.md §2.2):
 * priority = index within the chain, a base chain's policy appended as its last rule, input hook →
 * In, output hook → Out, accept → Allow, drop/reject → Deny, anything else → Other + `Action`.
 *
 * Only filtering is reported: rules of `filter`-type base chains, and of regular chains in tables
 * that have one (the targets of their jumps). NAT and route chains are left out, as the agents left
 * out every iptables table but `filter`.
 */
import type { FirewallRule } from '@vigil/protocol';
import { actionOf, policyRule } from './firewall-iptables.js';
import { parseError } from './parse-error.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface NftChain {
  readonly family: string;
  readonly table: string;
  readonly name: string;
  readonly type?: string;
  readonly hook?: string;
  readonly policy?: string;
}

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The text of a match's right-hand side: values, prefixes, ranges and sets. */
export function nftValueText(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.map(nftValueText).join(',');
  const prefix = v.prefix;
  if (isObject(prefix)) return `${nftValueText(prefix.addr)}/${nftValueText(prefix.len)}`;
  const range = v.range;
  if (Array.isArray(range)) return range.map(nftValueText).join('-');
  if ('set' in v) return nftValueText(v.set);
  return JSON.stringify(v);
}

/** Direction of a base chain by its netfilter hook. */
function hookDirection(hook: string | undefined): 'in' | 'out' | undefined {
  if (hook === 'input') return 'in';
  if (hook === 'output') return 'out';
  return undefined;
}

const VERDICTS = ['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue'];

function ruleFromExpr(chain: NftChain, expr: readonly Json[]): FirewallRule {
  const fields: Record<string, string> = {};
  const details: Record<string, string> = { Family: chain.family, Table: chain.table };
  let verdict: string | undefined;
  let jumpTarget: string | undefined;
  for (const item of expr) {
    if (!isObject(item)) continue;
    const name = Object.keys(item)[0] ?? '';
    if (VERDICTS.includes(name)) {
      verdict = name;
      const arg = item[name];
      if (isObject(arg)) jumpTarget = str(arg.target);
      continue;
    }
    const match = item.match;
    if (!isObject(match)) continue;
    const op = str(match.op) ?? '==';
    const raw = nftValueText(match.right);
    const value = op === '!=' ? `!(${raw})` : raw;
    const left = match.left;
    if (!isObject(left)) continue;
    const payload = left.payload;
    const meta = left.meta;
    const ct = left.ct;
    if (isObject(payload)) {
      const protocol = str(payload.protocol) ?? '';
      const field = str(payload.field) ?? '';
      if (field === 'saddr') fields.sourceAddress = value;
      else if (field === 'daddr') fields.destinationAddress = value;
      else if (field === 'sport') fields.sourcePort = value;
      else if (field === 'dport') fields.destinationPort = value;
      else if (field === 'protocol' || field === 'nexthdr') fields.protocol = value;
      else details[`${protocol}.${field}`] = value;
      if ((field === 'sport' || field === 'dport') && protocol !== 'th') fields.protocol ??= protocol;
    } else if (isObject(meta)) {
      const key = str(meta.key) ?? '';
      if (key === 'l4proto') fields.protocol = value;
      else if (key === 'iifname' || key === 'iif') details.InInterface = value;
      else if (key === 'oifname' || key === 'oif') details.OutInterface = value;
      else details[`meta.${key}`] = value;
    } else if (isObject(ct)) {
      details[str(ct.key) === 'state' ? 'State' : `ct.${str(ct.key)}`] = value;
    }
  }
  const action = verdict === undefined ? 'other' : actionOf(verdict);
  if (action === 'other')
    details.Action = jumpTarget === undefined ? (verdict ?? 'none') : `${verdict} ${jumpTarget}`;
  const direction = hookDirection(chain.hook);
  return {
    enabled: true,
    action,
    chainName: chain.name,
    ...(direction === undefined ? {} : { direction }),
    ...fields,
    ...(fields.protocol === undefined ? {} : { protocol: fields.protocol.toLowerCase() }),
    extraDetails: details,
  };
}

/** Parses `nft -j list ruleset` output. Throws a `PARSE_ERROR` when it is not that JSON at all. */
export function parseNftRuleset(text: string): FirewallRule[] {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    throw parseError('nft output is not JSON');
  }
  const items = isObject(doc) ? doc.nftables : undefined;
  if (!Array.isArray(items)) throw parseError('nft JSON without an "nftables" array');
  const chains = new Map<string, NftChain>();
  const rules = new Map<string, FirewallRule[]>();
  const chainKey = (family: string, table: string, name: string): string => `${family}|${table}|${name}`;
  for (const item of items) {
    if (!isObject(item)) continue;
    if (isObject(item.chain)) {
      const c = item.chain;
      const chain: NftChain = {
        family: str(c.family) ?? '',
        table: str(c.table) ?? '',
        name: str(c.name) ?? '',
        ...(str(c.type) === undefined ? {} : { type: str(c.type) }),
        ...(str(c.hook) === undefined ? {} : { hook: str(c.hook) }),
        ...(str(c.policy) === undefined ? {} : { policy: str(c.policy) }),
      };
      chains.set(chainKey(chain.family, chain.table, chain.name), chain);
    } else if (isObject(item.rule)) {
      const r = item.rule;
      const key = chainKey(str(r.family) ?? '', str(r.table) ?? '', str(r.chain) ?? '');
      const chain = chains.get(key);
      if (chain === undefined || !Array.isArray(r.expr)) continue;
      const list = rules.get(key) ?? [];
      const rule = ruleFromExpr(chain, r.expr);
      const comment = str(r.comment);
      const extra = {
        ...rule.extraDetails,
        Handle: nftValueText(r.handle),
        ...(comment === undefined ? {} : { Comment: comment }),
      };
      list.push({ ...rule, priority: list.length, extraDetails: extra });
      rules.set(key, list);
    }
  }
  const filterTables = new Set(
    [...chains.values()].filter((c) => c.type === 'filter').map((c) => `${c.family}|${c.table}`),
  );
  const out: FirewallRule[] = [];
  for (const [key, chain] of chains) {
    const isFilterBase = chain.type === 'filter';
    const isRegularInFilterTable =
      chain.hook === undefined && filterTables.has(`${chain.family}|${chain.table}`);
    if (!isFilterBase && !isRegularInFilterTable) continue;
    const list = rules.get(key) ?? [];
    out.push(...list);
    if (isFilterBase && chain.hook !== undefined) {
      const policy = policyRule(chain.name, chain.policy ?? 'accept', list.length, {
        Family: chain.family,
        Table: chain.table,
      });
      const { direction: _byName, ...rest } = policy;
      const direction = hookDirection(chain.hook);
      out.push(direction === undefined ? rest : { ...rest, direction });
    }
  }
  return out;
}
