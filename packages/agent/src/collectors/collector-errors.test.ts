import { describe, expect, it } from 'vitest';
import type { Collector, CollectorContext } from './collector.js';
import { safeCollect, toCollectorError } from './collector-errors.js';
import { createMemorySystem } from './memory-system.js';
import { selectCollectors } from './selection.js';

const context = (signal = new AbortController().signal): CollectorContext => ({
  clock: { now: () => 1_700_000_000_000 },
  system: createMemorySystem({}),
  signal,
  newId: () => '00000000-0000-0000-0000-000000000001',
});

const collector = (
  id: string,
  collect: Collector['collect'],
  platforms: Collector['platforms'] = ['any'],
): Collector => ({
  id,
  platforms,
  priority: 'Low',
  description: 'test',
  collect,
});

describe('toCollectorError', () => {
  it('maps errno codes to collector codes and keeps the source', () => {
    const e = Object.assign(new Error('denied'), { code: 'EACCES' });
    expect(toCollectorError('x', e, '/etc/shadow')).toEqual({
      collectorId: 'x',
      code: 'PERMISSION_DENIED',
      message: 'denied',
      source: '/etc/shadow',
    });
    const missing = Object.assign(new Error('spawn nft ENOENT'), { code: 'ENOENT' });
    expect(toCollectorError('fw', missing, 'nft', 'TOOL_MISSING').code).toBe('TOOL_MISSING');
    expect(toCollectorError('x', 'weird').code).toBe('INTERNAL');
  });
});

describe('safeCollect', () => {
  it('turns a throwing collector into an error entry with no events', async () => {
    const result = await safeCollect(
      collector('boom', () => Promise.reject(new Error('bad'))),
      context(),
    );
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([{ collectorId: 'boom', code: 'INTERNAL', message: 'bad' }]);
  });

  it('reports a throw after the timeout fired as ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await safeCollect(
      collector('slow', () => Promise.reject(new Error('late'))),
      context(controller.signal),
    );
    expect(result.errors[0]?.code).toBe('ABORTED');
  });
});

describe('selectCollectors', () => {
  const all = [
    collector('a', () => Promise.resolve({ events: [], errors: [] })),
    collector('b', () => Promise.resolve({ events: [], errors: [] }), ['linux']),
    collector('c', () => Promise.resolve({ events: [], errors: [] }), ['win32']),
  ];
  it('keeps collectors of this platform that are not disabled', () => {
    expect(selectCollectors(all, { platform: 'linux' }).map((c) => c.id)).toEqual(['a', 'b']);
    expect(selectCollectors(all, { platform: 'linux', enabled: { a: false } }).map((c) => c.id)).toEqual([
      'b',
    ]);
    expect(
      selectCollectors(all, { platform: 'linux', enabledByDefault: false, enabled: { b: true } }).map(
        (c) => c.id,
      ),
    ).toEqual(['b']);
  });
});

describe('createMemorySystem', () => {
  it('lists implied directories and fails like the real file system', async () => {
    const sys = createMemorySystem({
      files: { '/proc/1/cmdline': 'init\0', '/proc/net/tcp': '' },
      links: { '/proc/1/fd/3': 'socket:[42]' },
      denied: ['/proc/1/fd'],
    });
    expect(await sys.listDir('/proc')).toEqual([
      { name: '1', kind: 'directory' },
      { name: 'net', kind: 'directory' },
    ]);
    await expect(sys.listDir('/proc/1/fd')).rejects.toMatchObject({ code: 'EACCES' });
    await expect(sys.readFile('/nope')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(sys.run('nft', ['list', 'ruleset'])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
