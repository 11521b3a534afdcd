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

  it('gives every account the groups getent group and getent passwd give it on the live machine', async () => {
    const rows = (db: string) =>
      execFileSync('getent', [db], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(':'));
    const groups = rows('group').map(([name, , gid, members]) => ({
      name: name!,
      gid: gid!,
      members: (members ?? '').split(',').filter((m) => m !== ''),
    }));
    const expected = rows('passwd')
      .map(([user, , , gid]) => {
        const primary = groups.filter((g) => g.gid === gid).slice(0, 1);
        const supplementary = groups.filter((g) => g.gid !== gid && g.members.includes(user!));
        return `${user}:${[...primary, ...supplementary].map((g) => `${g.name}=${g.gid}`).join(',')}`;
      })
      .sort();
    const result = await createLocalUsersCollector().collect(
      createCollectorContext({ system: createNodeSystem() }),
    );
    const event = result.events[0];
    if (event?.kind !== 'local-users') throw new Error('no local-users event');
    const actual = event.users
      .map((u) => `${u.userName}:${u.groupNames.map((n, i) => `${n}=${u.groupIds[i]}`).join(',')}`)
      .sort();
    expect(actual).toEqual(expected);
    expect(actual).toContain('root:root=0');
  });
});
