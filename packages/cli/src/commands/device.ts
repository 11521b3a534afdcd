import type { IdentityRef, IdentityView } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import type { Command } from 'commander';
import {
  clientFrom,
  parseChoiceOption,
  parseIntegerOption,
  printJson,
  printResult,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { authFromFlags, renewedKeys, RENEW_KEY_CHOICES, type AuthFlags } from './device-auth.js';
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

/** The authentication type, with the thumbprints of self-signed X.509 (they are not secret). */
function describeAuth(identity: IdentityView): string {
  const auth = identity.authentication;
  return auth.type === 'selfSigned'
    ? `selfSigned (primary ${auth.x509Thumbprint.primaryThumbprint}, secondary ${auth.x509Thumbprint.secondaryThumbprint})`
    : auth.type;
}

function describeIdentity(identity: IdentityView): string {
  return `${[
    `${nameOf(identity)}`,
    `  status        ${identity.status}${identity.statusReason === null ? '' : ` (${identity.statusReason})`}`,
    `  connection    ${identity.connectionState}${identity.lastActivityTime === null ? '' : `, last activity ${identity.lastActivityTime}`}`,
    `  auth          ${describeAuth(identity)}`,
    `  created       ${identity.createdTime}`,
    `  etag          ${identity.etag}`,
  ].join('\n')}\n`;
}

function withAuthOptions(command: Command): Command {
  return command
    .option(
      '--auth <type>',
      'sas (generated keys), self-signed (X.509 thumbprints) or ca (X.509 signed by a CA)',
    )
    .option('--primary-thumbprint <hex>', 'self-signed: SHA-1 or SHA-256 of the device certificate')
    .option('--secondary-thumbprint <hex>', 'self-signed: a second certificate (default: the primary)');
}

/** `vigil device add|update|list|show|remove|connection-string`: the hub's identity registry. */
export const registerDeviceCommand: RegisterCommand = (program, io, setExitCode) => {
  const device = program.command('device').description("manage the hub's device and module identities");

  withApiOptions(
    withAuthOptions(
      device
        .command('add <deviceId>')
        .description(
          'register a device (or, with --module, one of its modules): generated SAS keys, or X.509 with --auth',
        )
        .option('--module <moduleId>', 'add a module identity of the device')
        .option('--disabled', 'create it disabled'),
    ).option('--json', 'print the identity as JSON'),
  ).action(async (deviceId: string, flags: DeviceFlags & AuthFlags & { readonly disabled?: boolean }) => {
    const { client, url } = clientFrom(flags);
    const identity = identityOf(deviceId, flags);
    const authentication = authFromFlags(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const created = await client.createIdentity(identity, {
        ...(authentication === undefined ? {} : { authentication }),
        ...(flags.disabled === true ? { status: 'disabled' } : {}),
      });
      if (flags.json === true) {
        printJson(io, created);
        return;
      }
      const { connectionString } = await client.connectionString(identity);
      io.stdout(
        created.authentication.type === 'sas'
          ? `registered ${nameOf(created)}\nconnection string (keep it secret):\n  ${connectionString}\n`
          : `registered ${nameOf(created)} (${describeAuth(created)})\nconnection string (the device presents its certificate):\n  ${connectionString}\n`,
      );
    });
  });

  withApiOptions(
    withAuthOptions(
      device
        .command('update <deviceId>')
        .description(
          'change status, renew SAS keys or change authentication (new credentials or disabling end its session)',
        )
        .option('--module <moduleId>', 'update a module identity of the device')
        .option('--status <status>', 'enabled or disabled')
        .option('--status-reason <text>', 'why (at most 128 characters; shown with the status)')
        .option('--renew-key <which>', `new SAS keys: ${RENEW_KEY_CHOICES.join(', ')}`),
    )
      .option('--if-match <etag>', 'only if the identity still has this etag')
      .option('--json', 'print the identity as JSON'),
  ).action(
    async (
      deviceId: string,
      flags: DeviceFlags &
        AuthFlags & {
          readonly status?: string;
          readonly statusReason?: string;
          readonly renewKey?: string;
          readonly ifMatch?: string;
        },
    ) => {
      const { client, url } = clientFrom(flags);
      const identity = identityOf(deviceId, flags);
      const status = parseChoiceOption('--status', flags.status, ['enabled', 'disabled'] as const);
      const renewKey = parseChoiceOption('--renew-key', flags.renewKey, RENEW_KEY_CHOICES);
      const authentication = authFromFlags(flags);
      if (renewKey !== undefined && authentication !== undefined) {
        throw new UsageError('--renew-key renews SAS keys; it does not go with --auth or thumbprints');
      }
      if (
        status === undefined &&
        flags.statusReason === undefined &&
        renewKey === undefined &&
        authentication === undefined
      ) {
        throw new UsageError(
          'nothing to update: give --status, --status-reason, --renew-key, --auth or thumbprints',
        );
      }
      await runApiCommand(io, setExitCode, url, async () => {
        let ifMatch = flags.ifMatch;
        let auth = authentication;
        if (renewKey !== undefined) {
          // Read-modify-write: the kept key comes from the current identity, so the write is tied to its etag.
          const current = await client.getIdentity(identity);
          auth = renewedKeys(current, renewKey);
          ifMatch ??= current.etag;
        }
        const updated = await client.updateIdentity(
          identity,
          {
            ...(auth === undefined ? {} : { authentication: auth }),
            ...(status === undefined ? {} : { status }),
            ...(flags.statusReason === undefined ? {} : { statusReason: flags.statusReason }),
          },
          ifMatch,
        );
        printResult(io, flags, updated, (view) => `updated ${describeIdentity(view)}`);
      });
    },
  );

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
