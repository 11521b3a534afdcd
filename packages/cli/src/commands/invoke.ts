import type { Json } from '@vigil/api-client';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  EXIT_REFUSED,
  parseIntegerOption,
  parseJsonOption,
  printJson,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';

interface InvokeFlags extends ApiFlags {
  readonly module?: string;
  readonly payload?: string;
  readonly timeout?: string;
  readonly connectTimeout?: string;
}

/**
 * `vigil invoke <device> <method>`: calls a direct method and prints the device's status and answer.
 * A device status of 400 or more exits 1, so scripts notice a method the device refused.
 */
export const registerInvokeCommand: RegisterCommand = (program, io, setExitCode) => {
  withApiOptions(
    program
      .command('invoke <deviceId> <method>')
      .description('call a direct method on a connected device (or module) and print its answer')
      .option('--module <moduleId>', 'call the method on a module')
      .option('--payload <json>', 'the request payload (JSON; default null)')
      .option('--timeout <seconds>', 'how long to wait for the answer (5–3600, default 30)')
      .option(
        '--connect-timeout <seconds>',
        'how long to wait for the device to come online (0–300, default 0)',
      )
      .option('--json', 'print { status, payload } as JSON'),
  ).action(async (deviceId: string, methodName: string, flags: InvokeFlags) => {
    const { client, url } = clientFrom(flags);
    const payload =
      flags.payload === undefined ? undefined : (parseJsonOption('--payload', flags.payload) as Json);
    const response = parseIntegerOption('--timeout', flags.timeout, 5, 3600);
    const connect = parseIntegerOption('--connect-timeout', flags.connectTimeout, 0, 300);
    const waiting = (response ?? 30) + (connect ?? 0);
    await runApiCommand(io, setExitCode, url, async () => {
      // Progress on standard error, so standard output stays the answer alone.
      if (flags.json !== true)
        io.stderr(`invoking ${methodName} on ${deviceId} (waiting up to ${waiting} s)…\n`);
      const result = await client.invokeMethod(
        { deviceId, ...(flags.module === undefined ? {} : { moduleId: flags.module }) },
        {
          methodName,
          ...(payload === undefined ? {} : { payload }),
          ...(response === undefined ? {} : { responseTimeoutInSeconds: response }),
          ...(connect === undefined ? {} : { connectTimeoutInSeconds: connect }),
        },
      );
      if (flags.json === true) printJson(io, result);
      else io.stdout(`status ${result.status}\n${JSON.stringify(result.payload, null, 2)}\n`);
      if (result.status >= 400) setExitCode(EXIT_REFUSED);
    });
  });
};
