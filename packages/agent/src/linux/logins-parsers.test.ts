import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAuthLog } from './auth-log.js';
import { encodeUtmp, parseUtmp, UTMP_TYPES } from './utmp.js';

const text = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const bytes = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));

describe('auth log parser', () => {
  const now = new Date(2026, 10, 23, 0, 0, 0).getTime();
  const logins = parseAuthLog(text('auth.log'), now);

  it('finds sshd, su and login attempts and nothing from cron, sudo or PAM noise', () => {
    expect(logins.map((l) => `${l.program}:${l.method}:${l.result}:${l.user}`)).toEqual([
      'sshd:publickey:success:alice',
      'sshd:password:fail:admin',
      'sshd:password:fail:root',
      'sshd:password:fail:root',
      'sshd:password:fail:root',
      'sshd:publickey:fail:bob',
      'sshd:keyboard-interactive/pam:success:bob',
      'sshd:password:success:alice',
      'su:auth:fail:root',
      'su:session:success:root',
      'login:password:fail:UNKNOWN',
      'login:session:success:root',
      'sshd:password:fail:root',
    ]);
  });

  it('keeps remote address, port, pid, the invalid-user mark and tty', () => {
    expect(logins[0]).toMatchObject({
      pid: 1201,
      remoteAddress: '10.0.2.2',
      remotePort: '50312',
      invalidUser: false,
    });
    expect(logins[1]).toMatchObject({ invalidUser: true, remoteAddress: '203.0.113.9', remotePort: '40022' });
    expect(logins[2]).toMatchObject({ remoteAddress: '2001:db8::66', remotePort: '51000' });
    expect(logins[7]?.remoteAddress).toBe('::ffff:10.0.2.2');
    expect(logins[8]).toMatchObject({ tty: '/dev/pts/0', pid: 2001 });
    expect(logins[8]?.remoteAddress).toBeUndefined();
    expect(logins[10]).toMatchObject({ tty: '/dev/tty1', invalidUser: true });
  });

  it('reads both timestamp formats and puts yearless lines in the right year', () => {
    expect(logins[0]?.timeMs).toBe(new Date(2026, 10, 22, 9, 15, 42).getTime());
    expect(logins.at(-1)?.timeMs).toBe(Date.UTC(2026, 10, 22, 9, 40, 0, 123));
    const january = new Date(2027, 0, 1, 0, 5, 0).getTime();
    expect(
      parseAuthLog('Dec 31 23:59:00 h sshd[1]: Failed none for root from 1.2.3.4 port 5 ssh2', january)[0]
        ?.timeMs,
    ).toBe(new Date(2026, 11, 31, 23, 59, 0).getTime());
  });
});

describe('utmp parser', () => {
  it('decodes wtmp records written by another implementation, ignoring a partial tail', () => {
    const records = parseUtmp(bytes('wtmp'));
    expect(records.map((r) => [r.type, r.user, r.line, r.address ?? r.host])).toEqual([
      [UTMP_TYPES.BOOT_TIME, 'reboot', '~', '6.1.0-18-amd64'],
      [UTMP_TYPES.USER_PROCESS, 'alice', 'pts/0', '10.0.2.2'],
      [UTMP_TYPES.DEAD_PROCESS, '', 'pts/0', ''],
      [UTMP_TYPES.USER_PROCESS, 'bob', 'pts/1', '2001:db8::7'],
      [UTMP_TYPES.USER_PROCESS, 'root', 'tty1', ''],
    ]);
    expect(records[1]).toMatchObject({ pid: 1201, timeMs: 1763802942500 });
  });

  it('decodes btmp failures', () => {
    expect(parseUtmp(bytes('btmp')).map((r) => [r.type, r.user, r.line, r.address])).toEqual([
      [UTMP_TYPES.LOGIN_PROCESS, 'admin', 'ssh:notty', '203.0.113.9'],
      [UTMP_TYPES.LOGIN_PROCESS, 'root', 'ssh:notty', '203.0.113.9'],
    ]);
  });

  it('round-trips its own encoding', () => {
    const record = { type: 7, pid: 42, line: 'pts/9', user: 'carol', host: 'h', timeMs: 1_700_000_000_250 };
    expect(parseUtmp(encodeUtmp({ ...record, addressBytes: [192, 0, 2, 1] }))).toEqual([
      { ...record, address: '192.0.2.1' },
    ]);
  });
});
