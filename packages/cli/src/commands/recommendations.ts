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
  readonly limit?: string;
}

/** `vigil recommendations`: weak posture found on devices (raised or resolved). */
export const registerRecommendationsCommand: RegisterCommand = (program, io, setExitCode) => {
  withApiOptions(
    program
      .command('recommendations')
      .description('list security recommendations (weak posture found on devices)')
      .option('--state <state>', 'raised or resolved (default: both)')
      .option('--device <id>', 'only this device')
      .option('--limit <n>', 'at most this many (1–1000, default 100)')
      .option('--json', 'print as JSON'),
  ).action(async (flags: RecommendationFlags) => {
    const { client, url } = clientFrom(flags);
    const limit = parseIntegerOption('--limit', flags.limit, 1, 1000);
    await runApiCommand(io, setExitCode, url, async () => {
      // The state is checked by the API, which names the allowed values.
      const { items } = await client.listRecommendations({
        ...(flags.state === undefined ? {} : { state: flags.state as 'raised' }),
        ...(flags.device === undefined ? {} : { deviceId: flags.device }),
        ...(limit === undefined ? {} : { limit }),
      });
      if (flags.json === true) {
        printJson(io, { items });
        return;
      }
      if (items.length === 0) {
        io.stdout('no recommendations match\n');
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
    });
  });
};
