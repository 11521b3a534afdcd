import type { IdentityRef, IdentityView } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  parseIntegerOption,
  printJson,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { formatTable } from './table.js';

interface DeviceFlags extends ApiFlags {
  readonly module?: string;
}

const identityOf = (deviceId: string, flags: DeviceFlags): IdentityRef => ({
  deviceId,
  ...(flags.module === undefined ? {} : { moduleId: flags.module }),
});
const nameOf = (identity: { deviceId: string; moduleId?: string | null }): string =>
  identity.moduleId === undefined || identity.moduleId === null
    ? `device ${identity.deviceId}`
    : `module ${identity.deviceId}/${identity.moduleId}`;

function describeIdentity(identity: IdentityView): string {
  return `${[
    `${nameOf(identity)}`,
    `  status        ${identity.status}${identity.statusReason === null ? '' : ` (${identity.statusReason})`}`,
    `  connection    ${identity.connectionState}${identity.lastActivityTime === null ? '' : `, last activity ${identity.lastActivityTime}`}`,
    `  auth          ${identity.authentication.type}`,
    `  created       ${identity.createdTime}`,
    `  etag          ${identity.etag}`,
  ].join('\n')}\n`;
}

/** `vigil device add|list|show|remove|connection-string`: the hub's identity registry. */
export const registerDeviceCommand: RegisterCommand = (program, io, setExitCode) => {
  const device = program.command('device').description("manage the hub's device and module identities");

  withApiOptions(
    device
      .command('add <deviceId>')
      .description('register a device (or, with --module, one of its modules) with generated SAS keys')
      .option('--module <moduleId>', 'add a module identity of the device')
      .option('--disabled', 'create it disabled')
      .option('--json', 'print the identity as JSON'),
  ).action(async (deviceId: string, flags: DeviceFlags & { readonly disabled?: boolean }) => {
    const { client, url } = clientFrom(flags);
    const identity = identityOf(deviceId, flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const created = await client.createIdentity(
        identity,
        flags.disabled === true ? { status: 'disabled' } : {},
      );
      if (flags.json === true) {
        printJson(io, created);
        return;
      }
      const { connectionString } = await client.connectionString(identity);
      io.stdout(
        `registered ${nameOf(created)}\nconnection string (keep it secret):\n  ${connectionString}\n`,
      );
    });
  });

  withApiOptions(
    device
      .command('list')
      .description('list devices, or the modules of one device with --device')
      .option('--device <deviceId>', "list this device's modules")
      .option('--limit <n>', 'at most this many devices (1–1000, default 100)')
      .option('--after <deviceId>', 'start after this device (paging)')
      .option('--json', 'print as JSON'),
  ).action(
    async (
      flags: ApiFlags & { readonly device?: string; readonly limit?: string; readonly after?: string },
    ) => {
      const { client, url } = clientFrom(flags);
      const limit = parseIntegerOption('--limit', flags.limit, 1, 1000);
      await runApiCommand(io, setExitCode, url, async () => {
        const page =
          flags.device === undefined
            ? await client.listDevices({
                ...(limit === undefined ? {} : { limit }),
                ...(flags.after === undefined ? {} : { after: flags.after }),
              })
            : { ...(await client.listModules(flags.device)), next: null };
        if (flags.json === true) {
          printJson(io, page);
          return;
        }
        if (page.items.length === 0) {
          io.stdout(
            flags.device === undefined ? 'no devices registered\n' : `${flags.device} has no modules\n`,
          );
          return;
        }
        io.stdout(
          formatTable(
            ['DEVICE', 'MODULE', 'STATUS', 'CONNECTION', 'AUTH', 'LAST ACTIVITY'],
            page.items.map((item) => [
              item.deviceId,
              item.moduleId ?? '-',
              item.status,
              item.connectionState,
              item.authentication.type,
              item.lastActivityTime ?? '-',
            ]),
          ),
        );
        if (page.next !== null) io.stdout(`more: --after ${page.next}\n`);
      });
    },
  );

  withApiOptions(
    device
      .command('show <deviceId>')
      .description('one identity: status, connection state, authentication')
      .option('--module <moduleId>', 'show a module of the device')
      .option('--json', 'print as JSON (keys included for admin tokens)'),
  ).action(async (deviceId: string, flags: DeviceFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const identity = await client.getIdentity(identityOf(deviceId, flags));
      if (flags.json === true) printJson(io, identity);
      else io.stdout(describeIdentity(identity));
    });
  });

  withApiOptions(
    device
      .command('remove <deviceId>')
      .description('delete a device with its modules and twins (or one module with --module)')
      .option('--module <moduleId>', 'remove only this module'),
  ).action(async (deviceId: string, flags: DeviceFlags) => {
    const { client, url } = clientFrom(flags);
    const identity = identityOf(deviceId, flags);
    await runApiCommand(io, setExitCode, url, async () => {
      await client.deleteIdentity(identity);
      io.stdout(`removed ${nameOf(identity)}\n`);
    });
  });

  withApiOptions(
    device
      .command('connection-string <deviceId>')
      .description('print the connection string a device (or module) connects with (admin token)')
      .option('--module <moduleId>', "a module's connection string")
      .option('--key <which>', 'primary (default) or secondary')
      .option('--gateway-host-name <host[:port]>', 'where the device dials, when not the hub host name'),
  ).action(
    async (
      deviceId: string,
      flags: DeviceFlags & { readonly key?: string; readonly gatewayHostName?: string },
    ) => {
      const { client, url } = clientFrom(flags);
      const key = flags.key;
      if (key !== undefined && key !== 'primary' && key !== 'secondary') {
        throw new UsageError(`--key must be primary or secondary (got ${key})`);
      }
      await runApiCommand(io, setExitCode, url, async () => {
        const { connectionString } = await client.connectionString(identityOf(deviceId, flags), {
          ...(key === undefined ? {} : { key }),
          ...(flags.gatewayHostName === undefined ? {} : { gatewayHostName: flags.gatewayHostName }),
        });
        io.stdout(`${connectionString}\n`);
      });
    },
  );
};
