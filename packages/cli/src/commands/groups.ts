import type { Command } from 'commander';
import type { GroupRule, RuleUpdate, SecurityGroupView } from '@vigil/api-client';
import { UsageError, type CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  collectOption,
  EXIT_REFUSED,
  parseIntegerOption,
  printResult,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { formatTable, formatTime } from './table.js';

interface SetRuleFlags extends ApiFlags {
  readonly enable?: boolean;
  readonly disable?: boolean;
  readonly min?: string;
  readonly max?: string;
  readonly window?: string;
  readonly values?: string;
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  readonly ifMatch?: string;
}

/** The API's own bound for range thresholds. */
const MAX_THRESHOLD = 1_000_000_000;

function settingOf(rule: GroupRule): string {
  return rule.kind === 'range'
    ? `${rule.min}–${rule.max} per ${rule.window}`
    : rule.values.length === 0
      ? '(nothing allowed)'
      : rule.values.join(', ');
}

function describeGroup(group: SecurityGroupView): string {
  return `security group ${group.name} (updated ${formatTime(group.updatedAt)}, etag ${group.etag})\n${formatTable(
    ['RULE', 'KIND', 'ENABLED', 'SETTING'],
    group.rules.map((rule) => [rule.ruleId, rule.kind, rule.enabled ? 'yes' : 'no', settingOf(rule)]),
  )}`;
}

/** The rule as the flags change it; flags of the other kind of rule are usage errors. */
function changedRule(rule: GroupRule, flags: SetRuleFlags): RuleUpdate {
  if (flags.enable === true && flags.disable === true)
    throw new UsageError('give --enable or --disable, not both');
  const enabled = flags.enable === true ? true : flags.disable === true ? false : rule.enabled;
  const rangeFlags = flags.min !== undefined || flags.max !== undefined || flags.window !== undefined;
  const listFlags = flags.values !== undefined || flags.add !== undefined || flags.remove !== undefined;
  if (rule.kind === 'range') {
    if (listFlags) {
      throw new UsageError(
        `${rule.ruleId} is a range rule: use --min, --max and --window, not --values/--add/--remove`,
      );
    }
    return {
      kind: 'range',
      ruleId: rule.ruleId,
      enabled,
      min: parseIntegerOption('--min', flags.min, 0, MAX_THRESHOLD) ?? rule.min,
      max: parseIntegerOption('--max', flags.max, 0, MAX_THRESHOLD) ?? rule.max,
      // The API checks the duration (ISO-8601, PT1M to P7D).
      window: flags.window ?? rule.window,
    };
  }
  if (rangeFlags) {
    throw new UsageError(
      `${rule.ruleId} is an allow-list rule: use --values, --add or --remove, not --min/--max/--window`,
    );
  }
  let values =
    flags.values === undefined
      ? [...rule.values]
      : flags.values
          .split(',')
          .map((value) => value.trim())
          .filter((value) => value !== '');
  for (const value of flags.add ?? []) if (!values.includes(value)) values.push(value);
  const removed = new Set(flags.remove ?? []);
  values = values.filter((value) => !removed.has(value));
  return { kind: 'allowlist', ruleId: rule.ruleId, enabled, values };
}

function registerShow(groups: Command, io: CliIo, setExitCode: (code: number) => void): void {
  withApiOptions(
    groups
      .command('show <name>')
      .description("a group's rules and their settings")
      .option('--json', 'print as JSON'),
  ).action(async (name: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      printResult(io, flags, await client.securityGroups.get(name), describeGroup);
    });
  });
}

/**
 * `vigil groups list|show|create|set-rule|delete`: device security groups and their custom alert
 * rules (reference §4.4). A device joins a group with its twin tag `SecurityGroup`.
 */
export const registerGroupsCommand: RegisterCommand = (program, io, setExitCode) => {
  const groups = program
    .command('groups')
    .description(
      'device security groups and their custom alert rules (a device joins with the twin tag SecurityGroup)',
    );

  withApiOptions(
    groups.command('list').description('every security group').option('--json', 'print as JSON'),
  ).action(async (flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const items = await client.securityGroups.list();
      printResult(io, flags, { items }, () =>
        formatTable(
          ['NAME', 'ENABLED RULES', 'UPDATED'],
          items.map((group) => [
            group.name,
            `${group.rules.filter((rule) => rule.enabled).length} of ${group.rules.length}`,
            formatTime(group.updatedAt),
          ]),
        ),
      );
    });
  });

  registerShow(groups, io, setExitCode);

  withApiOptions(
    groups
      .command('create <name>')
      .description('create a group with the default rules (all disabled)')
      .option('--json', 'print the group as JSON'),
  ).action(async (name: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const existing = await client.securityGroups.list();
      if (existing.some((group) => group.name === name)) {
        io.stderr(
          `refused: security group ${name} already exists (change its rules with \`vigil groups set-rule\`)\n`,
        );
        setExitCode(EXIT_REFUSED);
        return;
      }
      const created = await client.securityGroups.putRules(name, []);
      printResult(io, flags, created, (group) => `created ${describeGroup(group)}`);
    });
  });

  withApiOptions(
    groups
      .command('set-rule <group> <ruleId>')
      .description('change one rule of a group; what is not given is kept')
      .option('--enable', 'turn the rule on')
      .option('--disable', 'turn the rule off')
      .option('--min <n>', 'range rule: alert when the count is below this')
      .option('--max <n>', 'range rule: alert when the count is above this')
      .option('--window <duration>', 'range rule: ISO-8601 duration from PT1M to P7D, e.g. PT15M')
      .option('--values <list>', 'allow-list rule: the allowed values, comma-separated (replaces the list)')
      .option('--add <value>', 'allow-list rule: allow this value too (repeatable)', collectOption)
      .option('--remove <value>', 'allow-list rule: stop allowing this value (repeatable)', collectOption)
      .option('--if-match <etag>', 'only if the group still has this etag')
      .option('--json', 'print the group as JSON'),
  ).action(async (groupName: string, ruleId: string, flags: SetRuleFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      // Read-modify-write under the group's etag: the rule's other settings are kept as they are.
      const group = await client.securityGroups.get(groupName);
      const rule = group.rules.find((candidate) => candidate.ruleId === ruleId);
      if (rule === undefined) {
        throw new UsageError(
          `${ruleId} is not a rule of security groups; the rules are ${group.rules.map((r) => r.ruleId).join(', ')}`,
        );
      }
      const saved = await client.securityGroups.putRules(
        groupName,
        [changedRule(rule, flags)],
        flags.ifMatch ?? group.etag,
      );
      const after = saved.rules.find((candidate) => candidate.ruleId === ruleId) ?? rule;
      printResult(
        io,
        flags,
        saved,
        () => `${groupName}: ${ruleId} ${after.enabled ? 'enabled' : 'disabled'}, ${settingOf(after)}\n`,
      );
    });
  });

  withApiOptions(groups.command('delete <name>').description('delete a group (not default)')).action(
    async (name: string, flags: ApiFlags) => {
      const { client, url } = clientFrom(flags);
      await runApiCommand(io, setExitCode, url, async () => {
        await client.securityGroups.delete(name);
        io.stdout(`deleted security group ${name}\n`);
      });
    },
  );
};
