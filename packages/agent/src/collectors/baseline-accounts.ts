/**
 * OS baseline checks of accounts and the permissions of the account databases (CIS-style "User
 * Accounts and Environment" and "System File Permissions").
 */
import { parseGroup, parsePasswd } from '../linux/index.js';
import {
  octal,
  verdict,
  type BaselineCheckSpec,
  type BaselineInput,
  type CheckOutcome,
} from './baseline-check.js';

/** Owner must be root and `forbidden` permission bits must all be clear. */
async function permissions(input: BaselineInput, path: string, forbidden: number): Promise<CheckOutcome> {
  const s = await input.context.system.stat(path);
  return verdict(
    s.uid === 0 && (s.mode & forbidden) === 0,
    `${path} mode ${octal(s.mode)}, uid ${s.uid}, gid ${s.gid}`,
  );
}

const listed = (names: readonly string[]): string =>
  names.length === 0 ? 'none' : names.slice(0, 10).join(', ');

/** The account checks. */
export const ACCOUNT_CHECKS: readonly BaselineCheckSpec[] = [
  {
    id: 'VIGIL-LNX-FILE-01',
    severity: 'critical',
    description:
      '/etc/shadow is owned by root and neither writable by its group nor readable by others (0640 or stricter).',
    remediation: 'chown root:shadow /etc/shadow && chmod 640 /etc/shadow',
    run: (input) => permissions(input, '/etc/shadow', 0o137),
  },
  {
    id: 'VIGIL-LNX-FILE-02',
    severity: 'important',
    description: '/etc/passwd is owned by root and writable only by root (0644 or stricter).',
    remediation: 'chown root:root /etc/passwd && chmod 644 /etc/passwd',
    run: (input) => permissions(input, '/etc/passwd', 0o133),
  },
  {
    id: 'VIGIL-LNX-FILE-03',
    severity: 'important',
    description: '/etc/group is owned by root and writable only by root (0644 or stricter).',
    remediation: 'chown root:root /etc/group && chmod 644 /etc/group',
    run: (input) => permissions(input, '/etc/group', 0o133),
  },
  {
    id: 'VIGIL-LNX-ACCT-01',
    severity: 'critical',
    description: 'No account has an empty password in /etc/shadow.',
    remediation: 'Lock the listed accounts (passwd -l <user>) or give them a password.',
    async run(input) {
      const text = await input.file('/etc/shadow');
      const empty = text
        .split('\n')
        .map((l) => l.split(':'))
        .filter((f) => f.length >= 2 && f[0] !== '' && f[1] === '')
        .map((f) => f[0] ?? '');
      return verdict(empty.length === 0, `accounts with an empty password: ${listed(empty)}`);
    },
  },
  {
    id: 'VIGIL-LNX-ACCT-02',
    severity: 'critical',
    description: 'root is the only account with UID 0.',
    remediation: 'Remove the listed accounts or give them a non-zero UID (usermod -u).',
    async run(input) {
      const others = parsePasswd(await input.file('/etc/passwd'))
        .entries.filter((e) => e.uid === 0 && e.name !== 'root')
        .map((e) => e.name);
      return verdict(others.length === 0, `UID 0 accounts besides root: ${listed(others)}`);
    },
  },
  {
    id: 'VIGIL-LNX-ACCT-03',
    severity: 'important',
    description: 'No password hash or empty password is kept in the world-readable /etc/passwd.',
    remediation: 'Run pwconv to move passwords to /etc/shadow; lock accounts with an empty password field.',
    async run(input) {
      const bad = parsePasswd(await input.file('/etc/passwd'))
        .entries.filter((e) => !['x', '*', '!', '!!', '*NP*'].includes(e.password))
        .map((e) => e.name);
      return verdict(bad.length === 0, `accounts with a password in /etc/passwd: ${listed(bad)}`);
    },
  },
  {
    id: 'VIGIL-LNX-ACCT-04',
    severity: 'warning',
    description: 'Every primary group named in /etc/passwd exists in /etc/group.',
    remediation: 'Create the missing groups (groupadd -g <gid>) or fix the accounts.',
    async run(input) {
      const gids = new Set(parseGroup(await input.file('/etc/group')).entries.map((g) => g.gid));
      const orphans = parsePasswd(await input.file('/etc/passwd'))
        .entries.filter((e) => !gids.has(e.gid))
        .map((e) => `${e.name}(gid ${e.gid})`);
      return verdict(orphans.length === 0, `accounts whose group is missing: ${listed(orphans)}`);
    },
  },
];
