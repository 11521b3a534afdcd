/**
 * The FirewallConfiguration collector (reference/azure-security-module.md §2.2): the machine's packet
 * filter rules from `nft -j list ruleset`, or from `iptables-save` / `ip6tables-save` where nftables
 * is not installed. A missing tool or missing permission is reported as an error, never thrown.
 */
import type { FirewallRule } from '@vigil/protocol';
import { defaultAllowRules, parseIptablesSave, parseNftRuleset, parseError } from '../linux/index.js';
import type { Collector, CollectorContext, CollectorError } from './collector.js';
import { isNotFound, toCollectorError } from './collector-errors.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const FIREWALL_ID = 'firewall-configuration';

/** How one tool attempt ended. */
type Attempt = { rules: FirewallRule[] } | { missing: true } | { error: CollectorError };

async function runTool(
  context: CollectorContext,
  command: string,
  args: string[],
): Promise<{ stdout: string } | Attempt> {
  const source = [command, ...args].join(' ');
  try {
    const result = await context.system.run(command, args, { signal: context.signal });
    if (result.exitCode === 0) return { stdout: result.stdout };
    const denied = /permission denied|operation not permitted/i.test(result.stderr);
    const message = result.stderr.trim() || `exit code ${result.exitCode}`;
    return {
      error: {
        collectorId: FIREWALL_ID,
        code: denied ? 'PERMISSION_DENIED' : 'COMMAND_FAILED',
        message,
        source,
      },
    };
  } catch (error) {
    if (isNotFound(error)) return { missing: true };
    return { error: toCollectorError(FIREWALL_ID, error, source) };
  }
}

async function fromNft(context: CollectorContext): Promise<Attempt> {
  const out = await runTool(context, 'nft', ['-j', 'list', 'ruleset']);
  if (!('stdout' in out)) return out;
  try {
    return { rules: parseNftRuleset(out.stdout) };
  } catch (error) {
    return { error: toCollectorError(FIREWALL_ID, error, 'nft -j list ruleset') };
  }
}

async function fromIptables(context: CollectorContext, errors: CollectorError[]): Promise<Attempt> {
  const v4 = await runTool(context, 'iptables-save', ['-t', 'filter']);
  if (!('stdout' in v4)) return v4;
  const parsed = parseIptablesSave(v4.stdout, 4);
  const rules = [...parsed.rules];
  if (parsed.badLines.length > 0) {
    errors.push(
      toCollectorError(
        FIREWALL_ID,
        parseError(`unreadable lines ${parsed.badLines.join(', ')}`),
        'iptables-save',
      ),
    );
  }
  const v6 = await runTool(context, 'ip6tables-save', ['-t', 'filter']);
  if ('stdout' in v6) rules.push(...parseIptablesSave(v6.stdout, 6).rules);
  else if ('error' in v6) errors.push(v6.error);
  return { rules };
}

/**
 * The machine's filter rules (nft first, iptables-save as fallback), or undefined when neither tool
 * could be used; problems are appended to `errors`. Shared with the baseline's default-policy check.
 */
export async function readFirewallRules(
  context: CollectorContext,
  errors: CollectorError[],
): Promise<FirewallRule[] | undefined> {
  const nft = await fromNft(context);
  if ('rules' in nft) return nft.rules;
  if ('error' in nft) errors.push(nft.error);
  const fallback = await fromIptables(context, errors);
  if ('rules' in fallback) return fallback.rules;
  if ('missing' in fallback && 'missing' in nft) {
    errors.push({
      collectorId: FIREWALL_ID,
      code: 'TOOL_MISSING',
      message: 'neither nft nor iptables-save is installed; firewall rules cannot be read',
      source: 'nft, iptables-save',
    });
  } else if ('error' in fallback) {
    errors.push(fallback.error);
  }
  return undefined;
}

/** Creates the firewall-configuration collector. */
export function createFirewallCollector(): Collector {
  return {
    id: FIREWALL_ID,
    platforms: ['linux'],
    priority: 'Low',
    description:
      'Packet filter rules from `nft -j list ruleset`, else `iptables-save -t filter` and `ip6tables-save -t filter`.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const found = await readFirewallRules(context, errors);
      if (found === undefined) return { events: [], errors };
      const rules = found.length === 0 ? defaultAllowRules() : found;
      const header = eventHeader(context, 'FirewallConfiguration', 'Periodic');
      return { events: [{ ...header, kind: 'firewall-configuration', rules }], errors };
    },
  };
}
