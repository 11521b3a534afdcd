import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ProcessRecord, SecurityEvent } from '@vigil/protocol';
import { createNodeSystem } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import { createMemorySystem, type MemorySystemContent } from './memory-system.js';
import { createProcessCollector } from './processes.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../linux/__fixtures__/proc/${name}`, import.meta.url), 'utf8');

const baseMachine = (): { files: Record<string, string>; links: Record<string, string> } => ({
  files: {
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    '/proc/1/stat': fixture('1.stat'),
    '/proc/1/status': 'Uid:\t0\t0\t0\t0\n',
    '/proc/1/cmdline': fixture('1.cmdline'),
    '/proc/2/stat': fixture('2.stat'),
    '/proc/2/status': 'Uid:\t0\t0\t0\t0\n',
    '/proc/2/cmdline': '',
    '/proc/1234/stat': fixture('1234.stat'),
    '/proc/1234/status': 'Uid:\t1000\t1000\t1000\t1000\n',
    '/proc/1234/cmdline': fixture('1234.cmdline'),
    '/proc/4321/stat': fixture('4321.stat'),
    '/proc/4321/status': 'Uid:\t1000\t1000\t1000\t1000\n',
    '/proc/4321/cmdline': fixture('4321.cmdline'),
    '/proc/self': '',
  },
  links: {
    '/proc/1/exe': '/usr/lib/systemd/systemd',
    '/proc/1234/exe': '/usr/lib/systemd/systemd',
    '/proc/4321/exe': '/tmp/.x/evil (deleted)',
  },
});

const run = async (collector: ReturnType<typeof createProcessCollector>, content: MemorySystemContent) =>
  collector.collect(createCollectorContext({ system: createMemorySystem(content) }));

const records = (events: readonly SecurityEvent[], name: string): readonly ProcessRecord[] => {
  const event = events.find((e) => e.name === name);
  return event?.kind === 'process' ? event.processes : [];
};

describe('process collector', () => {
  it('takes a baseline first, then reports new, ended and pid-reused processes', async () => {
    const collector = createProcessCollector();
    expect((await run(collector, baseMachine())).events).toEqual([]);

    const next = baseMachine();
    delete next.files['/proc/4321/stat'];
    next.files['/proc/1234/stat'] = fixture('1234.stat').replace(' 5000 ', ' 9000 '); // pid reused
    next.files['/proc/5000/stat'] = '5000 (nc) S 1234 5000 5000 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9100 1 1';
    next.files['/proc/5000/status'] = 'Uid:\t1000\t1000\t1000\t1000\n';
    next.files['/proc/5000/cmdline'] = 'nc\0-lvp\x004444\0';
    next.links['/proc/5000/exe'] = '/usr/bin/nc.openbsd';
    const result = await run(collector, next);
    expect(result.errors).toEqual([]);
    expect(records(result.events, 'ProcessCreate')).toEqual([
      expect.objectContaining({ processId: 1234, commandLine: '(sd-pam)' }),
      {
        action: 'exec',
        executable: '/usr/bin/nc.openbsd',
        processId: 5000,
        parentProcessId: 1234,
        userId: '1000',
        userName: 'alice',
        commandLine: 'nc -lvp 4444',
        hitCount: 1,
      },
    ]);
    expect(records(result.events, 'ProcessTerminate').map((p) => [p.processId, p.executable])).toEqual([
      [1234, '/usr/lib/systemd/systemd'],
      [4321, '/tmp/.x/evil'],
    ]);
    expect(result.events.every((e) => e.category === 'Triggered')).toBe(true);
  });

  it('can report the whole first snapshot, marking kernel threads and deleted binaries', async () => {
    const result = await run(createProcessCollector({ reportExisting: true }), baseMachine());
    const created = records(result.events, 'ProcessCreate');
    expect(created.find((p) => p.processId === 2)).toMatchObject({
      executable: '[kthreadd]',
      commandLine: '[kthreadd]',
      parentProcessId: 0,
    });
    expect(created.find((p) => p.processId === 4321)).toMatchObject({
      executable: '/tmp/.x/evil',
      commandLine: '/tmp/.x/evil -c /tmp/.x/conf',
      extraDetails: { ExecutableDeleted: 'true' },
    });
  });

  it('sees a process started and ended on the live machine', async () => {
    const collector = createProcessCollector();
    const context = () => createCollectorContext({ system: createNodeSystem() });
    await collector.collect(context());
    const child = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    const started = await collector.collect(context());
    const mine = records(started.events, 'ProcessCreate').find((p) => p.processId === child.pid);
    expect(mine).toMatchObject({
      commandLine: 'sleep 30',
      parentProcessId: process.pid,
      userId: String(process.getuid?.()),
    });
    child.kill();
    await new Promise((r) => child.once('exit', r));
    const ended = await collector.collect(context());
    expect(records(ended.events, 'ProcessTerminate').some((p) => p.processId === child.pid)).toBe(true);
  });
});
