import type { OperationQuery, OperationView } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  parseChoiceOption,
  parseIntegerOption,
  printResult,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { formatIsoTime, formatTable } from './table.js';

interface OperationsFlags extends ApiFlags {
  readonly kind?: string;
  readonly device?: string;
  readonly outcome?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
  readonly before?: string;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 } as const;
const DETAILS_WIDTH = 60;

/**
 * A time option as epoch milliseconds: an age (`30s`, `15m`, `2h`, `7d`) counts back from now; an
 * ISO-8601 time or epoch milliseconds is taken as it is.
 */
export function parseTimeOption(name: string, text: string | undefined, nowMs: number): number | undefined {
  if (text === undefined) return undefined;
  const age = /^(\d{1,9})([smhd])$/.exec(text);
  if (age !== null) return nowMs - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS];
  const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(at)) {
    throw new UsageError(
      `${name} must be an age such as 15m, 2h or 7d, an ISO-8601 time or epoch milliseconds (got ${text})`,
    );
  }
  return at;
}

function detailsOf(operation: OperationView): string {
  const parts = [
    ...(operation.reason === null ? [] : [operation.reason]),
    ...(Object.keys(operation.details).length === 0 ? [] : [JSON.stringify(operation.details)]),
  ].join(' ');
  return parts.length > DETAILS_WIDTH ? `${parts.slice(0, DETAILS_WIDTH - 1)}…` : parts;
}

/** `vigil operations`: the hub's operations log (connections, registry and settings changes, C2D…). */
export const registerOperationsCommand: RegisterCommand = (program, io, setExitCode) => {
  withApiOptions(
    program
      .command('operations')
      .description("query the hub's operations log, newest first")
      .option(
        '--kind <operation>',
        'only this operation, e.g. connect, authenticationFailed, identityUpdated, c2dSent',
      )
      .option('--device <deviceId>', 'only this device')
      .option('--outcome <outcome>', 'success or failure')
      .option('--since <time>', 'from this time on: an age (15m, 2h, 7d), ISO-8601 or epoch ms')
      .option('--until <time>', 'before this time (same forms)')
      .option('--limit <n>', 'at most this many (1–1000, default 100)')
      .option('--before <id>', 'older than this entry (paging: the `next` of the previous page)')
      .option('--json', 'print the page as JSON'),
  ).action(async (flags: OperationsFlags) => {
    const { client, url } = clientFrom(flags);
    const nowMs = io.nowSeconds() * 1000;
    const outcome = parseChoiceOption('--outcome', flags.outcome, ['success', 'failure'] as const);
    const since = parseTimeOption('--since', flags.since, nowMs);
    const until = parseTimeOption('--until', flags.until, nowMs);
    const limit = parseIntegerOption('--limit', flags.limit, 1, 1000);
    const before = parseIntegerOption('--before', flags.before, 1, Number.MAX_SAFE_INTEGER);
    // The operation name is checked by the API, which lists the allowed ones.
    const query: OperationQuery = Object.fromEntries(
      Object.entries({
        operation: flags.kind,
        deviceId: flags.device,
        outcome,
        since,
        until,
        limit,
        before,
      }).filter(([, value]) => value !== undefined),
    );
    await runApiCommand(io, setExitCode, url, async () => {
      const page = await client.operations.list(query);
      printResult(io, flags, page, () => {
        if (page.items.length === 0) return 'no operations match\n';
        const table = formatTable(
          ['ID', 'TIME', 'OPERATION', 'OUTCOME', 'DEVICE', 'SOURCE', 'DETAILS'],
          page.items.map((operation) => [
            String(operation.id),
            formatIsoTime(operation.time),
            operation.operation,
            operation.outcome,
            operation.deviceId === null
              ? '-'
              : `${operation.deviceId}${operation.moduleId === null ? '' : `/${operation.moduleId}`}`,
            operation.sourceAddress ?? '-',
            detailsOf(operation),
          ]),
        );
        return `${table}${page.next === null ? '' : `more: --before ${page.next}\n`}`;
      });
    });
  });
};
