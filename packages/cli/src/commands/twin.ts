import type { Json } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  parseJsonOption,
  printJson,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';

interface TwinFlags extends ApiFlags {
  readonly module?: string;
  readonly setDesired?: string;
  readonly setTags?: string;
  readonly ifMatch?: string;
}

function jsonObject(name: string, text: string): { [key: string]: Json } {
  const value = parseJsonOption(name, text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${name} must be a JSON object, e.g. '{"azureiotsecurity":{"…":…}}'`);
  }
  return value as { [key: string]: Json };
}

/** `vigil twin <device>`: prints a device or module twin; `--set-desired` / `--set-tags` merge changes. */
export const registerTwinCommand: RegisterCommand = (program, io, setExitCode) => {
  withApiOptions(
    program
      .command('twin <deviceId>')
      .description('print a device (or module) twin, or merge desired properties or tags into it')
      .option('--module <moduleId>', "the module's twin, e.g. azureiotsecurity")
      .option(
        '--set-desired <json>',
        'merge this JSON object into the desired properties (null removes a key)',
      )
      .option('--set-tags <json>', 'merge this JSON object into the tags')
      .option('--if-match <etag>', 'only if the twin still has this etag')
      .option('--json', 'print the twin as compact JSON'),
  ).action(async (deviceId: string, flags: TwinFlags) => {
    const { client, url } = clientFrom(flags);
    const identity = { deviceId, ...(flags.module === undefined ? {} : { moduleId: flags.module }) };
    const desired =
      flags.setDesired === undefined ? undefined : jsonObject('--set-desired', flags.setDesired);
    const tags = flags.setTags === undefined ? undefined : jsonObject('--set-tags', flags.setTags);
    await runApiCommand(io, setExitCode, url, async () => {
      const twin =
        desired === undefined && tags === undefined
          ? await client.getTwin(identity)
          : await client.updateTwin(
              identity,
              {
                ...(tags === undefined ? {} : { tags }),
                ...(desired === undefined ? {} : { properties: { desired } }),
              },
              flags.ifMatch,
            );
      if (flags.json === true) io.stdout(`${JSON.stringify(twin)}\n`);
      else printJson(io, twin);
    });
  });
};
