import type { ApiTokenView } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import { clientFrom, printJson, runApiCommand, withApiOptions, type ApiFlags } from './api-access.js';
import { formatTable, formatTime } from './table.js';

const ROLES = ['viewer', 'admin'] as const;

/** `vigil token create|list|revoke`: the API tokens people and tools sign in with (admin token). */
export const registerTokenCommand: RegisterCommand = (program, io, setExitCode) => {
  const token = program
    .command('token')
    .description('manage API tokens: create viewer or admin tokens, list them, revoke them (admin token)');

  withApiOptions(
    token
      .command('create <name>')
      .description('create a token; its secret is printed this once and cannot be shown again')
      .option('--role <role>', 'viewer (reads only, the default) or admin')
      .option('--json', 'print as JSON (secret included)'),
  ).action(async (name: string, flags: ApiFlags & { readonly role?: string }) => {
    const role = flags.role ?? 'viewer';
    if (!(ROLES as readonly string[]).includes(role))
      throw new UsageError(`--role must be viewer or admin (got ${role})`);
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const created = await client.createToken({ name, role: role as 'viewer' | 'admin' });
      if (flags.json === true) {
        printJson(io, created);
        return;
      }
      io.stdout(
        `created ${created.role} token ${created.id} (${created.name})\nsecret (shown once, keep it safe):\n  ${created.token}\n`,
      );
    });
  });

  withApiOptions(
    token
      .command('list')
      .description('list tokens: id, name, role, prefix, created and last used (never the secrets)')
      .option('--json', 'print as JSON'),
  ).action(async (flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const { items } = await client.listTokens();
      if (flags.json === true) {
        printJson(io, { items });
        return;
      }
      io.stdout(
        formatTable(
          ['ID', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'NAME'],
          items.map((item: ApiTokenView) => [
            item.id,
            item.role,
            item.prefix === '' ? '-' : `${item.prefix}…`,
            formatTime(item.createdAt),
            formatTime(item.lastUsedAt),
            item.name,
          ]),
        ),
      );
    });
  });

  withApiOptions(
    token
      .command('revoke <id>')
      .description('revoke a token by id (see `vigil token list`); the last admin token is kept'),
  ).action(async (id: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      await client.revokeToken(id);
      io.stdout(`revoked token ${id}\n`);
    });
  });
};
