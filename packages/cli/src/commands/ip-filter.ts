import type { IpFilter, IpFilterAction, IpFilterRule, IpFilterView } from '@vigil/api-client';
import { UsageError, type CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  collectOption,
  parseChoiceOption,
  parseJsonOption,
  printResult,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { formatTable } from './table.js';

interface SetFlags extends ApiFlags {
  readonly file?: string;
  readonly rule?: readonly string[];
  readonly defaultAction?: string;
  readonly ifMatch?: string;
}

const ACTIONS: readonly IpFilterAction[] = ['accept', 'reject'];

function describeFilter(filter: IpFilterView): string {
  const rules =
    filter.rules.length === 0
      ? 'no rules\n'
      : formatTable(
          ['#', 'NAME', 'ACTION', 'IP MASK'],
          filter.rules.map((rule, index) => [String(index + 1), rule.name, rule.action, rule.ipMask]),
        );
  return `default action: ${filter.defaultAction} (when no rule matches)\n${rules}`;
}

/** `--rule name,action,mask`: the mask goes last, as IPv6 masks hold colons. */
function ruleOf(text: string): IpFilterRule {
  const [name, action, ...mask] = text.split(',');
  const ipMask = mask.join(',');
  if (name === undefined || name === '' || action === undefined || ipMask === '') {
    throw new UsageError(`--rule must be name,action,ip-mask, e.g. lab,accept,10.0.0.0/8 (got ${text})`);
  }
  return {
    name,
    action: parseChoiceOption(`--rule ${name}: the action`, action, ACTIONS) ?? 'accept',
    ipMask,
  };
}

/**
 * The filter in a JSON file, as `vigil ip-filter show --json` prints it: `{ defaultAction, rules }`,
 * with the etag it was read under (used as If-Match, so a change made since is not overwritten).
 */
async function readFilterFile(io: CliIo, path: string): Promise<{ filter: IpFilter; etag?: string }> {
  const value = parseJsonOption(path, new TextDecoder().decode(await io.readFile(path)));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${path} must hold a JSON object { "defaultAction": …, "rules": [...] }`);
  }
  const { etag, ...filter } = value as { etag?: unknown } & Record<string, unknown>;
  // The API checks every field and lists each problem; only the etag is the CLI's business.
  return { filter: filter as unknown as IpFilter, ...(typeof etag === 'string' ? { etag } : {}) };
}

/** `vigil ip-filter show|set`: which addresses may connect to the hub. */
export const registerIpFilterCommand: RegisterCommand = (program, io, setExitCode) => {
  const ipFilter = program
    .command('ip-filter')
    .description("the hub's IP filter: ordered accept/reject rules and the default action");

  withApiOptions(
    ipFilter
      .command('show')
      .description('the rules and the default action')
      .option('--json', 'print as JSON'),
  ).action(async (flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      printResult(io, flags, await client.ipFilter.get(), describeFilter);
    });
  });

  withApiOptions(
    ipFilter
      .command('set')
      .description(
        'replace the rules (--rule, in order, or --file) and/or the default action; what is not given is kept',
      )
      .option('--file <json>', 'the whole filter from a JSON file (the output of `ip-filter show --json`)')
      .option(
        '--rule <name,action,mask>',
        'a rule, e.g. lab,accept,10.0.0.0/8 (repeatable, in order)',
        collectOption,
      )
      .option('--default-action <action>', 'accept or reject: what happens when no rule matches')
      .option('--if-match <etag>', 'only if the filter still has this etag')
      .option('--json', 'print the saved filter as JSON'),
  ).action(async (flags: SetFlags) => {
    const { client, url } = clientFrom(flags);
    const defaultAction = parseChoiceOption('--default-action', flags.defaultAction, ACTIONS);
    const rules = flags.rule?.map(ruleOf);
    if (flags.file !== undefined && (rules !== undefined || defaultAction !== undefined)) {
      throw new UsageError('--file holds the whole filter; it does not go with --rule or --default-action');
    }
    if (flags.file === undefined && rules === undefined && defaultAction === undefined) {
      throw new UsageError('nothing to set: give --rule, --default-action or --file');
    }
    const fromFile = flags.file === undefined ? undefined : await readFilterFile(io, flags.file);
    await runApiCommand(io, setExitCode, url, async () => {
      let filter: IpFilter;
      let ifMatch = flags.ifMatch ?? fromFile?.etag;
      if (fromFile !== undefined) filter = fromFile.filter;
      else {
        // What the flags leave out is kept, so the change is made against the filter as read.
        const current = await client.ipFilter.get();
        filter = { defaultAction: defaultAction ?? current.defaultAction, rules: rules ?? current.rules };
        ifMatch ??= current.etag;
      }
      const saved = await client.ipFilter.set(filter, ifMatch);
      printResult(io, flags, saved, (view) => `saved the IP filter\n${describeFilter(view)}`);
    });
  });
};
