/**
 * OS baseline checks of kernel network parameters, process hardening, file system permissions and
 * the firewall's default policy (CIS-style "Network Configuration", "Additional Process Hardening",
 * "Filesystem" and "Firewall Configuration").
 */
import type { CollectorError } from './collector.js';
import {
  octal,
  verdict,
  type BaselineCheckSpec,
  type BaselineInput,
  type CheckOutcome,
} from './baseline-check.js';
import { findWorldWritable, SYSTEM_PATHS } from './world-writable.js';
import { readFirewallRules } from './firewall.js';

/** Every listed `/proc/sys` value must equal `expected`. */
async function sysctl(input: BaselineInput, expected: string, ...paths: string[]): Promise<CheckOutcome> {
  const seen: string[] = [];
  let ok = true;
  for (const path of paths) {
    const value = (await input.file(path)).trim();
    seen.push(`${path.replace('/proc/sys/', '').replace(/\//g, '.')} = ${value}`);
    if (value !== expected) ok = false;
  }
  return verdict(ok, seen.join('; '));
}

const sysctlCheck = (
  id: string,
  severity: BaselineCheckSpec['severity'],
  description: string,
  remediation: string,
  expected: string,
  ...paths: string[]
): BaselineCheckSpec => ({
  id,
  severity,
  description,
  remediation,
  run: (input) => sysctl(input, expected, ...paths),
});

/** The kernel, file system and firewall checks. */
export const SYSTEM_CHECKS: readonly BaselineCheckSpec[] = [
  sysctlCheck(
    'VIGIL-LNX-NET-01',
    'warning',
    'IPv4 forwarding is disabled (the device is not a router).',
    'Set net.ipv4.ip_forward = 0 in /etc/sysctl.d/ (skip on devices that are meant to route).',
    '0',
    '/proc/sys/net/ipv4/ip_forward',
  ),
  sysctlCheck(
    'VIGIL-LNX-NET-02',
    'warning',
    'ICMP redirects are not accepted (IPv4, all and default interfaces).',
    'Set net.ipv4.conf.all.accept_redirects = 0 and net.ipv4.conf.default.accept_redirects = 0.',
    '0',
    '/proc/sys/net/ipv4/conf/all/accept_redirects',
    '/proc/sys/net/ipv4/conf/default/accept_redirects',
  ),
  sysctlCheck(
    'VIGIL-LNX-NET-03',
    'warning',
    'IPv6 router redirects are not accepted.',
    'Set net.ipv6.conf.all.accept_redirects = 0 and net.ipv6.conf.default.accept_redirects = 0.',
    '0',
    '/proc/sys/net/ipv6/conf/all/accept_redirects',
    '/proc/sys/net/ipv6/conf/default/accept_redirects',
  ),
  sysctlCheck(
    'VIGIL-LNX-NET-04',
    'warning',
    'Source-routed IPv4 packets are not accepted.',
    'Set net.ipv4.conf.all.accept_source_route = 0.',
    '0',
    '/proc/sys/net/ipv4/conf/all/accept_source_route',
  ),
  sysctlCheck(
    'VIGIL-LNX-NET-05',
    'important',
    'TCP SYN cookies are enabled (SYN flood protection).',
    'Set net.ipv4.tcp_syncookies = 1.',
    '1',
    '/proc/sys/net/ipv4/tcp_syncookies',
  ),
  sysctlCheck(
    'VIGIL-LNX-SYS-01',
    'warning',
    'Set-uid programs do not dump core (fs.suid_dumpable = 0).',
    'Set fs.suid_dumpable = 0 and "* hard core 0" in /etc/security/limits.conf.',
    '0',
    '/proc/sys/fs/suid_dumpable',
  ),
  sysctlCheck(
    'VIGIL-LNX-SYS-02',
    'important',
    'Address space layout randomisation is fully enabled (kernel.randomize_va_space = 2).',
    'Set kernel.randomize_va_space = 2.',
    '2',
    '/proc/sys/kernel/randomize_va_space',
  ),
  {
    id: 'VIGIL-LNX-FILE-04',
    severity: 'important',
    description: "/tmp is a directory with the sticky bit set, so users cannot delete each other's files.",
    remediation: 'chmod 1777 /tmp',
    async run(input) {
      const s = await input.context.system.stat('/tmp');
      return verdict(
        s.kind === 'directory' && (s.mode & 0o1000) !== 0,
        `/tmp ${s.kind} mode ${octal(s.mode)}`,
      );
    },
  },
  {
    id: 'VIGIL-LNX-FILE-05',
    severity: 'warning',
    description: `No world-writable files, and no world-writable directories without the sticky bit, in ${SYSTEM_PATHS.join(', ')} (bounded walk).`,
    remediation: 'chmod o-w the listed paths (or add the sticky bit to shared directories).',
    async run(input) {
      const found = await findWorldWritable(input.context.system, { signal: input.context.signal });
      const shown = found.paths.slice(0, 10).join(', ');
      const more = found.paths.length > 10 ? ` and ${found.paths.length - 10} more` : '';
      const bound = found.truncated
        ? ` (walk stopped after ${found.visited} entries)`
        : ` (${found.visited} entries walked)`;
      return verdict(
        found.paths.length === 0,
        `world-writable: ${shown === '' ? 'none' : shown + more}${bound}`,
      );
    },
  },
  {
    id: 'VIGIL-LNX-FW-01',
    severity: 'important',
    description: 'The firewall drops or rejects inbound traffic by default (input chain policy).',
    remediation:
      'Set the input chain policy to drop (nft: "policy drop;" / iptables -P INPUT DROP) after allowing needed services.',
    async run(input): Promise<CheckOutcome> {
      const errors: CollectorError[] = [];
      const rules = await readFirewallRules(input.context, errors);
      if (rules === undefined) return { result: 'error', error: errors.map((e) => e.message).join('; ') };
      const policies = rules.filter((r) => r.extraDetails?.DefaultPolicy === 'true' && r.direction === 'in');
      const text = policies.map((r) => `${r.chainName} ${r.action}`).join(', ');
      if (policies.length === 0) return verdict(false, 'no input chain: all inbound traffic is accepted');
      return verdict(
        policies.every((r) => r.action === 'deny'),
        `input policies: ${text}`,
      );
    },
  },
];
