import type { Command } from 'commander';
import type { AlertDetail, AlertQuery } from '@vigil/api-client';
import { UsageError, type CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  parseIntegerOption,
  printJson,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { formatTable, formatTime } from './table.js';

interface ListFlags extends ApiFlags {
  readonly status?: string;
  readonly severity?: string;
  readonly device?: string;
  readonly type?: string;
  readonly sort?: string;
  readonly limit?: string;
  readonly offset?: string;
}

interface ActionFlags extends ApiFlags {
  readonly note?: string;
}

function alertId(text: string): number {
  const id = parseIntegerOption('the alert id', text, 1, Number.MAX_SAFE_INTEGER);
  if (id === undefined) throw new UsageError('an alert id is required');
  return id;
}

function describeAlert(alert: AlertDetail): string {
  const lines = [
    `alert ${alert.id}: ${alert.title}`,
    `  type        ${alert.typeId}`,
    `  device      ${alert.deviceId === '' ? '(the hub)' : alert.deviceId}`,
    `  severity    ${alert.severity}`,
    `  status      ${alert.status}`,
    `  first seen  ${formatTime(alert.firstSeenAt)}`,
    `  last seen   ${formatTime(alert.lastSeenAt)}  (${alert.occurrences} occurrence(s))`,
  ];
  if (alert.remediation.length > 0) {
    lines.push('  remediation');
    lines.push(...alert.remediation.map((step) => `    - ${step}`));
  }
  if (alert.evidence.length > 0) {
    lines.push(`  evidence (${alert.evidence.length}, newest first)`);
    lines.push(...alert.evidence.slice(0, 5).map((item) => `    ${JSON.stringify(item)}`));
  }
  lines.push('  history');
  lines.push(
    ...alert.history.map(
      (entry) =>
        `    ${formatTime(entry.at)}  ${entry.action}${entry.actor === null ? '' : ` by ${entry.actor}`}${entry.note === null ? '' : `: ${entry.note}`}`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

function registerAction(
  alerts: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  action: 'dismiss' | 'resolve',
): void {
  withApiOptions(
    alerts
      .command(`${action} <id>`)
      .description(`${action} an active alert (admin token)`)
      .option('--note <text>', 'why (kept in the alert history)')
      .option('--json', 'print the alert as JSON'),
  ).action(async (id: string, _flags: ActionFlags, command: Command) => {
    // The parent `alerts` takes the same flags; commander gives them to whichever comes first.
    const flags = command.optsWithGlobals<ActionFlags>();
    const { client, url } = clientFrom(flags);
    const alertNumber = alertId(id);
    await runApiCommand(io, setExitCode, url, async () => {
      const updated =
        action === 'dismiss'
          ? await client.dismissAlert(alertNumber, flags.note)
          : await client.resolveAlert(alertNumber, flags.note);
      if (flags.json === true) printJson(io, updated);
      else io.stdout(`alert ${updated.id} is now ${updated.status}\n`);
    });
  });
}

/** `vigil alerts`: list with filters, `show <id>`, `dismiss <id>`, `resolve <id>`. */
export const registerAlertsCommand: RegisterCommand = (program, io, setExitCode) => {
  const alerts = withApiOptions(
    program
      .command('alerts')
      .description('list alerts (subcommands: show, dismiss, resolve)')
      .option('--status <status>', 'active, dismissed or resolved')
      .option('--severity <severity>', 'low, medium or high')
      .option('--device <id>', 'only this device')
      .option('--type <typeId>', 'only this alert type, e.g. Vigil_CryptoMiner')
      .option('--sort <field>', 'lastSeen (default), firstSeen, severity or occurrences')
      .option('--limit <n>', 'at most this many (1–500, default 50)')
      .option('--offset <n>', 'skip this many (paging)')
      .option('--json', 'print the page as JSON'),
  ).action(async (flags: ListFlags) => {
    const { client, url } = clientFrom(flags);
    const limit = parseIntegerOption('--limit', flags.limit, 1, 500);
    const offset = parseIntegerOption('--offset', flags.offset, 0, 100_000);
    // Enum values are checked by the API, which lists every bad one with its allowed values.
    const query = {
      status: flags.status,
      severity: flags.severity,
      deviceId: flags.device,
      typeId: flags.type,
      sort: flags.sort,
      limit,
      offset,
    } as AlertQuery;
    await runApiCommand(io, setExitCode, url, async () => {
      const page = await client.listAlerts(query);
      if (flags.json === true) {
        printJson(io, page);
        return;
      }
      if (page.items.length === 0) {
        io.stdout(page.total === 0 ? 'no alerts match\n' : `no alerts on this page (${page.total} match)\n`);
        return;
      }
      io.stdout(
        formatTable(
          ['ID', 'SEVERITY', 'STATUS', 'DEVICE', 'TYPE', 'LAST SEEN', 'COUNT', 'TITLE'],
          page.items.map((alert) => [
            String(alert.id),
            alert.severity,
            alert.status,
            alert.deviceId === '' ? '(hub)' : alert.deviceId,
            alert.typeId,
            formatTime(alert.lastSeenAt),
            String(alert.occurrences),
            alert.title,
          ]),
        ),
      );
      const last = page.offset + page.items.length;
      io.stdout(
        `${page.offset + 1}–${last} of ${page.total}${last < page.total ? ` (next page: --offset ${last})` : ''}\n`,
      );
    });
  });

  withApiOptions(
    alerts
      .command('show <id>')
      .description('one alert with evidence, remediation and history')
      .option('--json', 'print as JSON'),
  ).action(async (id: string, _flags: ApiFlags, command: Command) => {
    const flags = command.optsWithGlobals<ApiFlags>();
    const { client, url } = clientFrom(flags);
    const alertNumber = alertId(id);
    await runApiCommand(io, setExitCode, url, async () => {
      const alert = await client.getAlert(alertNumber);
      if (flags.json === true) printJson(io, alert);
      else io.stdout(describeAlert(alert));
    });
  });
  registerAction(alerts, io, setExitCode, 'dismiss');
  registerAction(alerts, io, setExitCode, 'resolve');
};
