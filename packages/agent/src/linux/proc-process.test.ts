import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatCmdline,
  isPidName,
  parseExeLink,
  parseProcStat,
  parseStatusUid,
  socketInode,
} from './proc-process.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/proc/${name}`, import.meta.url), 'utf8');

describe('/proc/<pid> parsers', () => {
  it('reads stat fields after the last parenthesis, so odd command names do not shift them', () => {
    expect(parseProcStat(fixture('1.stat'))).toEqual({
      pid: 1,
      comm: 'systemd',
      state: 'S',
      parentPid: 0,
      startTicks: 14,
    });
    expect(parseProcStat(fixture('1234.stat'))).toMatchObject({
      comm: '(sd-pam)',
      parentPid: 1233,
      startTicks: 5000,
    });
    expect(parseProcStat(fixture('4321.stat'))).toMatchObject({
      comm: 'evil) S',
      state: 'R',
      parentPid: 1,
      startTicks: 7777,
    });
    expect(() => parseProcStat('garbage')).toThrow();
  });

  it('joins command lines and shows kernel threads as [comm]', () => {
    expect(formatCmdline(fixture('1.cmdline'), 'systemd')).toBe('systemd --system --deserialize=29');
    expect(formatCmdline('', 'kthreadd')).toBe('[kthreadd]');
    expect(formatCmdline('a\0\0b\0', 'x')).toBe('a  b');
  });

  it('reads the real uid, the deleted marker, pids and socket inodes', () => {
    expect(parseStatusUid('Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t5\n')).toBe(1000);
    expect(parseStatusUid('Name:\tx\n')).toBeUndefined();
    expect(parseExeLink('/usr/bin/curl (deleted)')).toEqual({ path: '/usr/bin/curl', deleted: true });
    expect(parseExeLink('/usr/bin/curl')).toEqual({ path: '/usr/bin/curl', deleted: false });
    expect(['1', '42', 'self', '0', '01'].filter(isPidName)).toEqual(['1', '42']);
    expect(socketInode('socket:[12345]')).toBe(12345);
    expect(socketInode('pipe:[12345]')).toBeUndefined();
  });
});
