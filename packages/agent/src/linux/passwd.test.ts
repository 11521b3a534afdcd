import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGroup, parsePasswd } from './passwd.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('passwd and group parsers', () => {
  it('reads accounts, keeps empty passwords visible and reports malformed lines', () => {
    const { entries, badLines } = parsePasswd(fixture('passwd'));
    expect(entries.map((e) => `${e.name}:${e.uid}`)).toEqual([
      'root:0',
      'daemon:1',
      'sshd:105',
      'alice:1000',
      'toor:0',
      'guest:1001',
    ]);
    expect(entries.find((e) => e.name === 'guest')?.password).toBe('');
    expect(entries.find((e) => e.name === 'alice')).toMatchObject({
      gid: 1000,
      gecos: 'Alice,,,',
      home: '/home/alice',
      shell: '/bin/bash',
    });
    expect(badLines).toEqual([8, 9]);
  });

  it('reads groups with trimmed member lists', () => {
    const { entries, badLines } = parseGroup(fixture('group'));
    expect(entries.find((g) => g.name === 'adm')?.members).toEqual(['syslog', 'alice']);
    expect(entries.find((g) => g.name === 'docker')?.members).toEqual(['alice', 'guest']);
    expect(entries.find((g) => g.name === 'root')?.members).toEqual([]);
    expect(badLines).toEqual([9]);
  });
});
