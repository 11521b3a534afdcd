/**
 * OS baseline checks of the OpenSSH server configuration (CIS-style "SSH Server Configuration").
 * Defaults are OpenSSH's own (sshd_config(5), OpenSSH 7.0 and later) for keywords not set.
 */
import {
  verdict,
  octal,
  type BaselineCheckSpec,
  type BaselineInput,
  type CheckOutcome,
} from './baseline-check.js';

/** Runs `test` on sshd's settings; a machine without sshd passes (nothing listens for SSH). */
async function withSshd(
  input: BaselineInput,
  test: (get: (k: string) => string | undefined) => CheckOutcome,
): Promise<CheckOutcome> {
  const config = await input.sshd();
  if (config === undefined)
    return { result: 'pass', evidence: 'no /etc/ssh/sshd_config: no SSH server configured' };
  return test((k) => config.settings.get(k)?.toLowerCase());
}

/** The SSH checks. */
export const SSH_CHECKS: readonly BaselineCheckSpec[] = [
  {
    id: 'VIGIL-LNX-SSH-01',
    severity: 'critical',
    description: 'SSH does not allow root to log in with a password (PermitRootLogin is not "yes").',
    remediation: 'Set "PermitRootLogin no" (or "prohibit-password") in /etc/ssh/sshd_config and reload sshd.',
    run: (input) =>
      withSshd(input, (get) => {
        const value = get('permitrootlogin') ?? 'prohibit-password';
        return verdict(value !== 'yes', `PermitRootLogin ${value}`);
      }),
  },
  {
    id: 'VIGIL-LNX-SSH-02',
    severity: 'important',
    description: 'SSH password authentication is disabled (keys only).',
    remediation: 'Set "PasswordAuthentication no" in /etc/ssh/sshd_config after installing authorized keys.',
    run: (input) =>
      withSshd(input, (get) => {
        const value = get('passwordauthentication') ?? 'yes';
        return verdict(
          value === 'no',
          `PasswordAuthentication ${value}${get('passwordauthentication') === undefined ? ' (default)' : ''}`,
        );
      }),
  },
  {
    id: 'VIGIL-LNX-SSH-03',
    severity: 'critical',
    description: 'SSH refuses accounts with empty passwords (PermitEmptyPasswords no).',
    remediation: 'Set "PermitEmptyPasswords no" in /etc/ssh/sshd_config.',
    run: (input) =>
      withSshd(input, (get) => {
        const value = get('permitemptypasswords') ?? 'no';
        return verdict(value === 'no', `PermitEmptyPasswords ${value}`);
      }),
  },
  {
    id: 'VIGIL-LNX-SSH-04',
    severity: 'important',
    description: 'SSH protocol version 1 is not enabled.',
    remediation: 'Remove the "Protocol" line or set "Protocol 2" in /etc/ssh/sshd_config.',
    run: (input) =>
      withSshd(input, (get) => {
        const value = get('protocol');
        const v1 = value?.split(',').some((v) => v.trim() === '1') ?? false;
        return verdict(!v1, value === undefined ? 'Protocol not set (2 only)' : `Protocol ${value}`);
      }),
  },
  {
    id: 'VIGIL-LNX-SSH-05',
    severity: 'warning',
    description: 'SSH limits authentication attempts per connection to 4 or fewer (MaxAuthTries).',
    remediation: 'Set "MaxAuthTries 4" in /etc/ssh/sshd_config.',
    run: (input) =>
      withSshd(input, (get) => {
        const value = Number(get('maxauthtries') ?? '6');
        return verdict(value <= 4, `MaxAuthTries ${value}`);
      }),
  },
  {
    id: 'VIGIL-LNX-SSH-06',
    severity: 'warning',
    description: '/etc/ssh/sshd_config is owned by root and not writable or readable by others.',
    remediation: 'chown root:root /etc/ssh/sshd_config && chmod 600 /etc/ssh/sshd_config',
    async run(input) {
      if ((await input.sshd()) === undefined) return { result: 'pass', evidence: 'no /etc/ssh/sshd_config' };
      const s = await input.context.system.stat('/etc/ssh/sshd_config');
      return verdict(s.uid === 0 && (s.mode & 0o077) === 0, `mode ${octal(s.mode)}, uid ${s.uid}`);
    },
  },
];
