import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BaselineCheck } from '@vigil/protocol';
import { createNodeSystem } from '../linux/index.js';
import { BASELINE_CHECKS, createBaselineCollector } from './baseline.js';
import { createCollectorContext } from './collector-context.js';
import type { CollectionResult } from './collector.js';
import { createMemorySystem, type MemorySystemContent } from './memory-system.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../linux/__fixtures__/${name}`, import.meta.url), 'utf8');

const sysctls = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`/proc/sys/${k.replace(/\./g, '/')}`, `${v}\n`]),
  );

/** A hardened device: every check should pass. */
const hardened: MemorySystemContent = {
  files: {
    '/etc/ssh/sshd_config': 'PermitRootLogin no\nPasswordAuthentication no\nMaxAuthTries 3\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    '/etc/group': 'root:x:0:\nalice:x:1000:\n',
    '/etc/shadow': 'root:$y$j9T$abc:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n',
    '/etc/hostname': 'gw\n',
    '/usr/bin/ls': '',
    ...sysctls({
      'net.ipv4.ip_forward': '0',
      'net.ipv4.conf.all.accept_redirects': '0',
      'net.ipv4.conf.default.accept_redirects': '0',
      'net.ipv6.conf.all.accept_redirects': '0',
      'net.ipv6.conf.default.accept_redirects': '0',
      'net.ipv4.conf.all.accept_source_route': '0',
      'net.ipv4.tcp_syncookies': '1',
      'fs.suid_dumpable': '0',
      'kernel.randomize_va_space': '2',
    }),
  },
  stats: {
    '/etc/ssh/sshd_config': { mode: 0o600 },
    '/etc/shadow': { mode: 0o640, gid: 42 },
    '/tmp': { kind: 'directory', mode: 0o1777 },
  },
  commands: {
    'nft -j list ruleset': {
      exitCode: 0,
      stdout: JSON.stringify({
        nftables: [
          {
            chain: {
              family: 'inet',
              table: 'filter',
              name: 'input',
              type: 'filter',
              hook: 'input',
              policy: 'drop',
            },
          },
        ],
      }),
      stderr: '',
    },
  },
};

/** The same device, neglected in every way the checks know. */
const neglected: MemorySystemContent = {
  ...hardened,
  files: {
    ...hardened.files,
    '/etc/ssh/sshd_config': fixture('sshd_config')
      .replace('Include', '#Include')
      .replace('MaxAuthTries=3', 'MaxAuthTries 10')
      .replace('PermitEmptyPasswords no', 'PermitEmptyPasswords yes'),
    '/etc/passwd': fixture('passwd'),
    '/etc/group': 'root:x:0:\n',
    '/etc/shadow': 'root::19000:0:99999:7:::\n',
    '/etc/cron.d/job': '',
    ...sysctls({
      'net.ipv4.ip_forward': '1',
      'net.ipv4.conf.all.accept_redirects': '1',
      'net.ipv4.conf.default.accept_redirects': '0',
      'net.ipv6.conf.all.accept_redirects': '1',
      'net.ipv6.conf.default.accept_redirects': '1',
      'net.ipv4.conf.all.accept_source_route': '1',
      'net.ipv4.tcp_syncookies': '0',
      'fs.suid_dumpable': '2',
      'kernel.randomize_va_space': '0',
    }),
  },
  stats: {
    '/etc/ssh/sshd_config': { mode: 0o644 },
    '/etc/shadow': { mode: 0o644 },
    '/etc/passwd': { mode: 0o666 },
    '/etc/group': { mode: 0o664 },
    '/etc/cron.d/job': { mode: 0o646 },
    '/etc/cron.d': { kind: 'directory', mode: 0o777 },
    '/tmp': { kind: 'directory', mode: 0o777 },
  },
  commands: {
    'iptables-save -t filter': { exitCode: 0, stdout: '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', stderr: '' },
  },
};

const checksOf = (r: CollectionResult): readonly BaselineCheck[] =>
  r.events[0]?.kind === 'baseline' ? r.events[0].checks : [];
const run = (content: MemorySystemContent, options = {}) =>
  createBaselineCollector(options).collect(createCollectorContext({ system: createMemorySystem(content) }));

describe('OS baseline', () => {
  it('has at least 15 checks with unique ids, each described with a remediation', () => {
    expect(BASELINE_CHECKS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(BASELINE_CHECKS.map((c) => c.id)).size).toBe(BASELINE_CHECKS.length);
    for (const c of BASELINE_CHECKS) expect(c.description.length * c.remediation.length).toBeGreaterThan(0);
  });

  it('passes every check on a hardened device', async () => {
    const result = await run(hardened);
    const failed = checksOf(result).filter((c) => c.result !== 'pass');
    expect(failed).toEqual([]);
    expect(checksOf(result)).toHaveLength(BASELINE_CHECKS.length);
    expect(result.events[0]).toMatchObject({ name: 'OSBaseline', category: 'Periodic' });
  });

  it('fails every check on a neglected device, with evidence', async () => {
    const checks = checksOf(await run(neglected));
    expect(
      checks.filter((c) => c.result !== 'fail').map((c) => `${c.checkId}:${c.result}:${c.error ?? ''}`),
    ).toEqual([]);
    const evidence = (id: string) => checks.find((c) => c.checkId === id)?.extraDetails?.Evidence;
    expect(evidence('VIGIL-LNX-SSH-01')).toBe('PermitRootLogin yes');
    expect(evidence('VIGIL-LNX-SSH-02')).toBe('PasswordAuthentication yes (default)');
    expect(evidence('VIGIL-LNX-ACCT-01')).toContain('root');
    expect(evidence('VIGIL-LNX-ACCT-02')).toBe('UID 0 accounts besides root: toor');
    expect(evidence('VIGIL-LNX-ACCT-03')).toContain('guest');
    expect(evidence('VIGIL-LNX-FILE-05')).toContain('/etc/cron.d/job');
    expect(evidence('VIGIL-LNX-NET-02')).toContain('net.ipv4.conf.all.accept_redirects = 1');
    expect(evidence('VIGIL-LNX-FW-01')).toBe('input policies: INPUT allow');
  });

  it('reports unreadable inputs as errors and can leave passes out, like the legacy agents', async () => {
    const checks = checksOf(await run({ ...hardened, denied: ['/etc/shadow'] }, { reportPassed: false }));
    expect(checks.map((c) => [c.checkId, c.result])).toEqual([
      ['VIGIL-LNX-FILE-01', 'error'],
      ['VIGIL-LNX-ACCT-01', 'error'],
    ]);
    expect(checks[0]).toMatchObject({ severity: 'critical', error: expect.stringContaining('EACCES') });
  });

  it('skips disabled checks and treats a machine without sshd as passing the SSH checks', async () => {
    const files = { ...hardened.files };
    delete files['/etc/ssh/sshd_config'];
    const checks = checksOf(await run({ ...hardened, files }, { disabledChecks: ['VIGIL-LNX-FW-01'] }));
    expect(checks.some((c) => c.checkId === 'VIGIL-LNX-FW-01')).toBe(false);
    expect(
      checks.filter((c) => c.checkId.startsWith('VIGIL-LNX-SSH')).every((c) => c.result === 'pass'),
    ).toBe(true);
  });

  it('gives every check a result on the live machine', async () => {
    const started = Date.now();
    const result = await createBaselineCollector().collect(
      createCollectorContext({ system: createNodeSystem() }),
    );
    const checks = checksOf(result);
    expect(checks.map((c) => c.checkId)).toEqual(BASELINE_CHECKS.map((c) => c.id));
    // This machine keeps /tmp sticky and its shadow file 0640: those facts are readable as any user.
    expect(checks.find((c) => c.checkId === 'VIGIL-LNX-FILE-04')?.result).toBe('pass');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('BASELINE.md', () => {
  it('documents every check, with its severity', () => {
    const doc = readFileSync(new URL('./BASELINE.md', import.meta.url), 'utf8');
    for (const c of BASELINE_CHECKS)
      expect(doc).toMatch(new RegExp(`\\| \`${c.id}\` +\\| ${c.severity} +\\|`));
  });
});
