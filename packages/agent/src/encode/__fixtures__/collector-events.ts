/**
 * Events every shipped collector produces from the Linux parser fixtures (`../../linux/__fixtures__/`):
 * each collector runs twice on a fixture machine that changes in between (a process starts and one
 * ends, the auth log grows), so the diffing collectors report too. Used to check the encoders
 * against everything the agent can really send.
 */
import { readFileSync } from 'node:fs';
import type { SecurityEvent, WireFormat } from '@vigil/protocol';
import {
  createCollectorContext,
  createDefaultCollectors,
  createMemorySystem,
  type MemorySystemContent,
} from '../../collectors/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../linux/__fixtures__/${name}`, import.meta.url), 'latin1');
const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });

function machine(after: boolean): MemorySystemContent {
  const authLines = fixture('auth.log').split('\n');
  const files: Record<string, string> = {
    '/etc/passwd': fixture('passwd'),
    '/etc/group': fixture('group'),
    '/etc/os-release': fixture('os-release'),
    '/proc/meminfo': fixture('meminfo'),
    '/etc/ssh/sshd_config': fixture('sshd_config'),
    '/etc/shadow': 'root:$y$j9T$abc:19000:0:99999:7:::\n',
    '/proc/sys/net/ipv4/ip_forward': '1\n',
    '/proc/cmdline': 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet\n',
    '/proc/net/tcp': fixture('proc-net-tcp'),
    '/proc/net/tcp6': fixture('proc-net-tcp6'),
    '/proc/net/udp': fixture('proc-net-udp'),
    '/proc/net/udp6': fixture('proc-net-udp6'),
    '/proc/net/icmp': fixture('proc-net-icmp'),
    '/proc/net/raw6': fixture('proc-net-raw6'),
    '/var/log/auth.log': (after ? authLines : authLines.slice(0, 5)).join('\n') + '\n',
    '/proc/1/stat': fixture('proc/1.stat'),
    '/proc/1/status': 'Uid:\t0\t0\t0\t0\n',
    '/proc/1/cmdline': fixture('proc/1.cmdline'),
    '/proc/812/stat': '812 (sshd) S 1 812 812 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 1500 1 1 1 1',
    '/proc/812/status': 'Name:\tsshd\nUid:\t0\t0\t0\t0\n',
    '/proc/812/cmdline': 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups\0',
  };
  const links: Record<string, string> = {
    '/proc/1/exe': '/usr/lib/systemd/systemd',
    '/proc/812/exe': '/usr/sbin/sshd',
    '/proc/812/fd/3': 'socket:[18034]',
    '/proc/812/fd/4': 'socket:[18036]',
  };
  if (after) {
    files['/proc/5000/stat'] = '5000 (nc) S 1 5000 5000 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9100 1 1';
    files['/proc/5000/status'] = 'Uid:\t1000\t1000\t1000\t1000\n';
    files['/proc/5000/cmdline'] = 'nc\0-lvp\x004444\0';
    links['/proc/5000/exe'] = '/usr/bin/nc.openbsd';
  } else {
    files['/proc/4321/stat'] = fixture('proc/4321.stat');
    files['/proc/4321/status'] = 'Uid:\t1000\t1000\t1000\t1000\n';
    files['/proc/4321/cmdline'] = fixture('proc/4321.cmdline');
    links['/proc/4321/exe'] = '/tmp/.x/evil (deleted)';
  }
  return {
    files,
    links,
    stats: { '/tmp': { kind: 'directory', mode: 0o1777 } },
    commands: {
      'nft -j list ruleset': ok(fixture('nft-ruleset.json')),
      'ss -tinH': ok(fixture('ss-tinH.txt')),
    },
  };
}

/** Every event the default collectors report over two runs of the fixture machine. */
export async function collectFixtureEvents(format: WireFormat = 'json-1.0'): Promise<SecurityEvent[]> {
  const collectors = createDefaultCollectors();
  const events: SecurityEvent[] = [];
  let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
  for (const after of [false, true]) {
    const system = createMemorySystem(machine(after));
    clock += 10_000;
    const now = clock;
    for (const collector of collectors) {
      const result = await collector.collect(
        createCollectorContext({ system, format, clock: { now: () => now }, intervalSeconds: 10 }),
      );
      events.push(...result.events);
    }
  }
  return events;
}
