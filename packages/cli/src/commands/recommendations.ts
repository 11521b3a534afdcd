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

interface RecommendationFlags extends ApiFlags {
  readonly state?: string;
  readonly device?: string;
  readonly sort?: string;
  readonly limit?: string;
  readonly offset?: string;
}

/** `vigil recommendations`: weak posture found on devices (raised or resolved). */
export const registerRecommendationsCommand: RegisterCommand = (program, io, setExitCode) => {
  withApiOptions(
    program
      .command('recommendations')
      .description('list security recommendations (weak posture found on devices)')
      .option('--state <state>', 'raised or resolved (default: both)')
      .option('--device <id>', 'only this device')
      .option('--sort <field>', 'updated (default), raised or severity')
      .option('--limit <n>', 'at most this many (1–1000, default 100)')
      .option('--offset <n>', 'skip this many (paging)')
      .option('--json', 'print as JSON'),
  ).action(async (flags: RecommendationFlags) => {
    const { client, url } = clientFrom(flags);
    const limit = parseIntegerOption('--limit', flags.limit, 1, 1000);
    const offset = parseIntegerOption('--offset', flags.offset, 0, 100_000);
    await runApiCommand(io, setExitCode, url, async () => {
      // State and sort are checked by the API, which names the allowed values.
      const page = await client.listRecommendations({
        ...(flags.state === undefined ? {} : { state: flags.state as 'raised' }),
        ...(flags.device === undefined ? {} : { deviceId: flags.device }),
        ...(flags.sort === undefined ? {} : { sort: flags.sort as 'updated' }),
        ...(limit === undefined ? {} : { limit }),
        ...(offset === undefined ? {} : { offset }),
      });
      const { items } = page;
      if (flags.json === true) {
        printJson(io, page);
        return;
      }
      if (items.length === 0) {
        io.stdout(
          page.total === 0
            ? 'no recommendations match\n'
            : `no recommendations on this page (${page.total} match)\n`,
        );
        return;
      }
      io.stdout(
        formatTable(
          ['ID', 'SEVERITY', 'STATE', 'DEVICE', 'TYPE', 'RAISED'],
          items.map((item) => [
            String(item.id),
            item.severity,
            item.state,
            item.deviceId === '' ? '(hub)' : item.deviceId,
            item.typeId,
            formatTime(item.raisedAt),
          ]),
        ),
      );
      const last = page.offset + items.length;
      io.stdout(
        `${page.offset + 1}–${last} of ${page.total}${last < page.total ? ` (next page: --offset ${last})` : ''}\n`,
      );
    });
  });
};
