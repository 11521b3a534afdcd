import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCollectorContext } from './collector-context.js';
import { createListeningPortsCollector } from './listening-ports.js';
import { createMemorySystem, type MemorySystemContent } from './memory-system.js';
import { createNetworkActivityCollector } from './network-activity.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../linux/__fixtures__/${name}`, import.meta.url), 'utf8');

/** A machine with sshd (pid 812) holding the :22 sockets and a user's curl (pid 4242) on :55002. */
const socketMachine = (extra: Partial<MemorySystemContent> = {}): MemorySystemContent => ({
  files: {
    '/proc/net/tcp': fixture('proc-net-tcp'),
    '/proc/net/tcp6': fixture('proc-net-tcp6'),
    '/proc/net/udp': fixture('proc-net-udp'),
    '/proc/net/udp6': fixture('proc-net-udp6'),
    '/proc/net/icmp': fixture('proc-net-icmp'),
    '/proc/net/raw6': fixture('proc-net-raw6'),
    '/proc/812/stat': '812 (sshd) S 1 812 812 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 1500 1 1 1 1',
    '/proc/812/status': 'Name:\tsshd\nUid:\t0\t0\t0\t0\n',
    '/proc/812/cmdline': 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups\0',
    '/proc/4242/stat': '4242 (curl) S 900 4242 900 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 99000 1 1 1 1',
    '/proc/4242/status': 'Name:\tcurl\nUid:\t1000\t1000\t1000\t1000\n',
    '/proc/4242/cmdline': 'curl\0https://example.com\0',
    ...extra.files,
  },
  links: {
    '/proc/812/exe': '/usr/sbin/sshd',
    '/proc/812/fd/3': 'socket:[18034]',
    '/proc/812/fd/4': 'socket:[18036]',
    '/proc/812/fd/5': 'socket:[33330]',
    '/proc/812/fd/0': '/dev/null',
    '/proc/4242/exe': '/usr/bin/curl (deleted)',
    '/proc/4242/fd/5': 'socket:[44440]',
    '/proc/7/fd/1': 'socket:[99]',
    ...extra.links,
  },
  denied: ['/proc/7/fd', ...(extra.denied ?? [])],
  ...(extra.commands === undefined ? {} : { commands: extra.commands }),
});

const context = (content: MemorySystemContent) =>
  createCollectorContext({
    system: createMemorySystem(content),
    clock: { now: () => 1_700_000_000_000 },
    newId: () => 'id-1',
  });

describe('listening-ports collector', () => {
  it('reports TCP LISTEN and unconnected UDP sockets of both families, with the owner', async () => {
    const result = await createListeningPortsCollector().collect(context(socketMachine()));
    const event = result.events[0];
    expect(event?.kind).toBe('listening-ports');
    if (event?.kind !== 'listening-ports') return;
    expect(event).toMatchObject({
      name: 'ListeningPorts',
      category: 'Periodic',
      timeUtc: 1_700_000_000_000,
      id: 'id-1',
    });
    expect(
      event.ports.map((p) => `${p.protocol}${p.ipVersion} ${p.localAddress} ${p.localPort}`).sort(),
    ).toEqual([
      'tcp4 0.0.0.0 22',
      'tcp4 127.0.0.1 8080',
      'tcp6 :: 22',
      'tcp6 ::1 631',
      'udp4 0.0.0.0 68',
      'udp4 127.0.0.53 53',
      'udp6 fe80::1 547',
    ]);
    const ssh = event.ports.find((p) => p.localPort === '22' && p.ipVersion === 4);
    expect(ssh?.extraDetails).toEqual({ Pid: '812', Executable: '/usr/sbin/sshd', UserId: '0' });
    expect(ssh?.remotePort).toBe('*');
  });

  it('reports the unreadable fd table and the corrupt lines as errors, not as a failure', async () => {
    const result = await createListeningPortsCollector().collect(context(socketMachine()));
    expect(result.errors.map((e) => [e.code, e.source])).toEqual(
      expect.arrayContaining([
        ['PARSE_ERROR', '/proc/net/udp'],
        ['PARSE_ERROR', '/proc/net/udp6'],
        ['PERMISSION_DENIED', '/proc/<pid>/fd'],
      ]),
    );
  });

  it('still reports an event when /proc/net is missing entirely', async () => {
    const result = await createListeningPortsCollector().collect(context({ files: { '/proc/1/stat': '' } }));
    expect(result.events).toHaveLength(1);
    expect(result.events[0]?.kind === 'listening-ports' && result.events[0].ports).toEqual([]);
  });
});

describe('network-activity collector', () => {
  const ss = { 'ss -tinH': { exitCode: 0, stdout: fixture('ss-tinH.txt'), stderr: '' } };

  it('reports flows with direction, process, user and TCP bytes', async () => {
    const result = await createNetworkActivityCollector().collect(context(socketMachine({ commands: ss })));
    const event = result.events[0];
    expect(event?.kind).toBe('network-activity');
    if (event?.kind !== 'network-activity') return;
    expect(event.name).toBe('ConnectionCreate');
    const inbound = event.flows.find((f) => f.localPort === '22' && f.remoteAddress === '10.0.2.2');
    expect(inbound).toMatchObject({
      direction: 'in',
      protocol: 'tcp',
      ipVersion: 4,
      processId: 812,
      executable: '/usr/sbin/sshd',
      commandLine: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
      bytesIn: 8812,
      bytesOut: 52311,
      userId: '0',
      extraDetails: { State: 'ESTABLISHED' },
    });
    const curl = event.flows.find((f) => f.remotePort === '443' && f.processId !== undefined);
    // The deleted binary keeps its path; the "(deleted)" marker is not part of it.
    expect(curl).toMatchObject({
      direction: 'out',
      executable: '/usr/bin/curl',
      userId: '1000',
      bytesOut: 1,
    });
    expect(event.flows.find((f) => f.extraDetails?.State === 'TIME_WAIT')).toMatchObject({
      remoteAddress: '93.184.216.34',
    });
    expect(event.flows.find((f) => f.protocol === 'udp')).toMatchObject({
      remoteAddress: '8.8.8.8',
      remotePort: '53',
    });
    const icmp = event.flows.filter((f) => f.protocol === 'icmp');
    expect(icmp.map((f) => [f.ipVersion, f.localPort])).toEqual([
      [4, undefined],
      [6, undefined],
    ]);
    expect(event.flows.some((f) => f.extraDetails?.State === 'LISTEN')).toBe(false);
  });

  it('carries no byte counters when ss is not installed', async () => {
    const result = await createNetworkActivityCollector().collect(context(socketMachine()));
    const event = result.events[0];
    if (event?.kind !== 'network-activity') throw new Error('no event');
    expect(event.flows.every((f) => f.bytesIn === undefined)).toBe(true);
  });

  it('reports only new flows after the first run, and nothing when nothing changed', async () => {
    const collector = createNetworkActivityCollector();
    await collector.collect(context(socketMachine()));
    expect((await collector.collect(context(socketMachine()))).events).toEqual([]);
    const more = socketMachine();
    const tcp = `${fixture('proc-net-tcp')}   5: 0F02000A:D6DC 22D8B85D:0050 01 00000000:00000000 00:00000000 00000000  1000        0 88880 1 0 20 4 30 10 -1\n`;
    const result = await collector.collect(
      context({ ...more, files: { ...more.files, '/proc/net/tcp': tcp } }),
    );
    const event = result.events[0];
    if (event?.kind !== 'network-activity') throw new Error('no event');
    expect(event.flows.map((f) => `${f.localPort}>${f.remoteAddress}:${f.remotePort}`)).toEqual([
      '55004>93.184.216.34:80',
    ]);
  });
  it('asks ss for byte counters only in runs with a new TCP flow, and only keeps those', async () => {
    const collector = createNetworkActivityCollector();
    let ssRuns = 0;
    const counted = (content: MemorySystemContent) => {
      const system = createMemorySystem(content);
      return createCollectorContext({
        system: { ...system, run: (c, a, o) => ((ssRuns += 1), system.run(c, a, o)) },
      });
    };
    await collector.collect(counted(socketMachine({ commands: ss })));
    expect(ssRuns).toBe(1);
    expect((await collector.collect(counted(socketMachine({ commands: ss })))).events).toEqual([]);
    expect(ssRuns).toBe(1);
    // A new connection (10.0.2.15:55004 → 93.184.216.34:80), in /proc and in ss's output.
    const tcp = `${fixture('proc-net-tcp')}   5: 0F02000A:D6DC 22D8B85D:0050 01 00000000:00000000 00:00000000 00000000  1000        0 88880 1 0 20 4 30 10 -1\n`;
    const ssText = `${fixture('ss-tinH.txt')}ESTAB 0      0      10.0.2.15:55004 93.184.216.34:80\n\t cubic bytes_sent:7 bytes_acked:7 bytes_received:9\n`;
    const more = socketMachine({ commands: { 'ss -tinH': { exitCode: 0, stdout: ssText, stderr: '' } } });
    const result = await collector.collect(
      counted({ ...more, files: { ...more.files, '/proc/net/tcp': tcp } }),
    );
    expect(ssRuns).toBe(2);
    const event = result.events[0];
    if (event?.kind !== 'network-activity') throw new Error('no event');
    expect(event.flows).toHaveLength(1);
    expect(event.flows[0]).toMatchObject({ remotePort: '80', bytesIn: 9, bytesOut: 7 });
  });
});

describe('socket reading shared by the socket collectors', () => {
  const counting = (content: MemorySystemContent) => {
    const system = createMemorySystem(content);
    const calls = { readLink: 0, readFile: 0 };
    return {
      calls,
      system: {
        ...system,
        readLink: (p: string) => ((calls.readLink += 1), system.readLink(p)),
        readFile: (p: string) => ((calls.readFile += 1), system.readFile(p)),
      },
    };
  };

  it('reads /proc once for collectors running in the same second', async () => {
    const { system, calls } = counting(socketMachine());
    const at = (now: number) => createCollectorContext({ system, clock: { now: () => now } });
    await createListeningPortsCollector().collect(at(1000));
    const afterFirst = calls.readFile;
    const result = await createNetworkActivityCollector().collect(at(1500));
    expect(calls.readFile).toBe(afterFirst);
    expect(result.events[0]?.kind).toBe('network-activity');
  });

  it('scans fd links again only when a socket appears that no scan has accounted for', async () => {
    const { system, calls } = counting(socketMachine());
    const collector = createListeningPortsCollector();
    await collector.collect(createCollectorContext({ system, clock: { now: () => 0 } }));
    const firstScan = calls.readLink;
    expect(firstScan).toBeGreaterThan(0);
    const second = await collector.collect(createCollectorContext({ system, clock: { now: () => 10_000 } }));
    // Only the owners' exe links are read again, not the fd tables.
    expect(calls.readLink - firstScan).toBeLessThan(firstScan);
    const ssh =
      second.events[0]?.kind === 'listening-ports'
        ? second.events[0].ports.find((p) => p.localPort === '22')
        : undefined;
    expect(ssh?.extraDetails?.Pid).toBe('812');
  });
});

describe('network-activity in active mode', () => {
  it('reports flows whose TCP counters grew, with the bytes since the previous run', async () => {
    const ss = (sent: number, received: number) => ({
      'ss -tinH': {
        exitCode: 0,
        stdout: fixture('ss-tinH.txt')
          .replace('bytes_sent:52311', `bytes_sent:${sent}`)
          .replace('bytes_received:8812', `bytes_received:${received}`),
        stderr: '',
      },
    });
    const collector = createNetworkActivityCollector({ report: 'active' });
    const first = await collector.collect(context(socketMachine({ commands: ss(52311, 8812) })));
    expect(first.events[0]?.kind === 'network-activity' && first.events[0].flows.length).toBeGreaterThan(5);
    expect((await collector.collect(context(socketMachine({ commands: ss(52311, 8812) })))).events).toEqual(
      [],
    );
    const grown = await collector.collect(context(socketMachine({ commands: ss(60000, 9000) })));
    const event = grown.events[0];
    if (event?.kind !== 'network-activity') throw new Error('no event');
    expect(event.flows).toEqual([
      expect.objectContaining({
        localPort: '22',
        remotePort: '50000',
        bytesOut: 60000 - 52311,
        bytesIn: 9000 - 8812,
      }),
    ]);
  });
});

describe('network-activity flow identity', () => {
  it('does not report a connection again when it moves to TIME_WAIT and loses its process', async () => {
    const collector = createNetworkActivityCollector();
    await collector.collect(context(socketMachine()));
    const machine = socketMachine();
    // The sshd connection (inode 33330) closes: TIME_WAIT, no inode, no process.
    const tcp = fixture('proc-net-tcp').replace(
      '0F02000A:0016 0202000A:C350 01 00000000:00000000 02:000A7F5B 00000000     0        0 33330',
      '0F02000A:0016 0202000A:C350 06 00000000:00000000 02:000A7F5B 00000000     0        0 0',
    );
    expect(tcp).not.toBe(fixture('proc-net-tcp'));
    const result = await collector.collect(
      context({ ...machine, files: { ...machine.files, '/proc/net/tcp': tcp } }),
    );
    expect(result.events).toEqual([]);
  });
});
