import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  collectOption,
  printResult,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { UsageError } from '../io.js';
import { formatTable } from './table.js';

/** `vigil diagnostic-settings list|set|delete`: which hub log categories go where. */
export const registerDiagnosticSettingsCommand: RegisterCommand = (program, io, setExitCode) => {
  const diagnostics = program
    .command('diagnostic-settings')
    .description("the hub's diagnostic settings: which resource-log categories go to which destination");

  withApiOptions(
    diagnostics.command('list').description('every diagnostic setting').option('--json', 'print as JSON'),
  ).action(async (flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const items = await client.diagnosticSettings.list();
      printResult(io, flags, { items }, () =>
        items.length === 0
          ? 'no diagnostic settings\n'
          : formatTable(
              ['NAME', 'DESTINATION', 'CATEGORIES'],
              items.map((item) => [item.name, item.destination, item.categories.join(', ')]),
            ),
      );
    });
  });

  withApiOptions(
    diagnostics
      .command('set <name>')
      .description('create or replace a diagnostic setting')
      .requiredOption('--destination <where>', 'where the logs go, e.g. a workspace or storage URI')
      .requiredOption(
        '--category <name>',
        'a log category: Connections, DeviceTelemetry, C2DCommands, DeviceIdentityOperations, DirectMethods, … (repeatable, or comma-separated)',
        collectOption,
      )
      .option('--json', 'print the setting as JSON'),
  ).action(
    async (
      name: string,
      flags: ApiFlags & { readonly destination: string; readonly category: readonly string[] },
    ) => {
      const { client, url } = clientFrom(flags);
      const categories = flags.category.flatMap((item) => item.split(',')).map((item) => item.trim());
      if (categories.some((category) => category === '')) {
        throw new UsageError('--category must name a category (got an empty one)');
      }
      await runApiCommand(io, setExitCode, url, async () => {
        const saved = await client.diagnosticSettings.set({
          name,
          destination: flags.destination,
          categories,
        });
        printResult(
          io,
          flags,
          saved,
          (setting) =>
            `saved diagnostic setting ${setting.name}: ${setting.categories.join(', ')} → ${setting.destination}\n`,
        );
      });
    },
  );

  withApiOptions(diagnostics.command('delete <name>').description('remove a diagnostic setting')).action(
    async (name: string, flags: ApiFlags) => {
      const { client, url } = clientFrom(flags);
      await runApiCommand(io, setExitCode, url, async () => {
        await client.diagnosticSettings.delete(name);
        io.stdout(`deleted diagnostic setting ${name}\n`);
      });
    },
  );
};
