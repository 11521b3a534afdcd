import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeSystem } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import { createLocalUsersCollector } from './local-users.js';
import { createMemorySystem } from './memory-system.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../linux/__fixtures__/${name}`, import.meta.url), 'utf8');

describe('local-users collector', () => {
  it('lists accounts with primary and supplementary groups', async () => {
    const system = createMemorySystem({
      files: { '/etc/passwd': fixture('passwd'), '/etc/group': fixture('group') },
    });
    const result = await createLocalUsersCollector().collect(createCollectorContext({ system }));
    const event = result.events[0];
    if (event?.kind !== 'local-users') throw new Error('no local-users event');
    expect(event.name).toBe('LocalUsers');
    expect(event.users.find((u) => u.userName === 'alice')).toEqual({
      userName: 'alice',
      userId: '1000',
      groupNames: ['alice', 'sudo', 'adm', 'docker'],
      groupIds: ['1000', '27', '4', '998'],
    });
    expect(event.users.find((u) => u.userName === 'sshd')).toMatchObject({ groupNames: ['nogroup'] });
    expect(result.errors.map((e) => [e.code, e.source])).toEqual([
      ['PARSE_ERROR', '/etc/passwd'],
      ['PARSE_ERROR', '/etc/group'],
    ]);
  });

  it('reports an unreadable /etc/passwd as an error with no event', async () => {
    const system = createMemorySystem({
      files: { '/etc/passwd': '', '/etc/group': '' },
      denied: ['/etc/passwd'],
    });
    const result = await createLocalUsersCollector().collect(createCollectorContext({ system }));
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'PERMISSION_DENIED', source: '/etc/passwd' }),
    ]);
  });

  it('matches getent passwd on the live machine (names and uids)', async () => {
    const getent = execFileSync('getent', ['passwd'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${l.split(':')[0]}:${l.split(':')[2]}`)
      .sort();
    const result = await createLocalUsersCollector().collect(
      createCollectorContext({ system: createNodeSystem() }),
    );
    const event = result.events[0];
    if (event?.kind !== 'local-users') throw new Error('no local-users event');
    expect(event.users.map((u) => `${u.userName}:${u.userId}`).sort()).toEqual(getent);
    expect(getent).toContain('root:0');
  });
});
