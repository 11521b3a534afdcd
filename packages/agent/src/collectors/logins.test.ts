import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoginAttempt } from '@vigil/protocol';
import { createNodeSystem, encodeUtmp, UTMP_RECORD_SIZE, UTMP_TYPES } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import type { CollectionResult } from './collector.js';
import { createLogCursor } from './log-cursor.js';
import { createLoginCollector } from './logins.js';
import { createMemorySystem, type MemorySystemContent } from './memory-system.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../linux/__fixtures__/${name}`, import.meta.url));
const authLog = fixture('auth.log').toString('utf8');
const now = new Date(2026, 10, 23).getTime();
const ctx = (content: MemorySystemContent) =>
  createCollectorContext({ system: createMemorySystem(content), clock: { now: () => now } });
const attempts = (r: CollectionResult): readonly LoginAttempt[] =>
  r.events[0]?.kind === 'login' ? r.events[0].attempts : [];

describe('login collector', () => {
  it('starts at the end of the auth log and reports lines appended later', async () => {
    const collector = createLoginCollector();
    const lines = authLog.split('\n');
    const first = lines.slice(0, 5).join('\n') + '\n';
    expect((await collector.collect(ctx({ files: { '/var/log/auth.log': first } }))).events).toEqual([]);
    const grown = first + lines.slice(5, 8).join('\n') + '\nNov 22 09:21:41 gw-01 sshd[1322]: Failed pass';
    const result = await collector.collect(ctx({ files: { '/var/log/auth.log': grown } }));
    expect(result.errors).toEqual([]);
    expect(result.events[0]).toMatchObject({ name: 'Login', category: 'Triggered', kind: 'login' });
    expect(attempts(result)).toEqual([
      {
        processId: 1310,
        userName: 'admin',
        operation: 'sshd:password',
        executable: '/usr/sbin/sshd',
        remoteAddress: '203.0.113.9',
        remotePort: '40022',
        result: 'fail',
        extraDetails: { TimeUtc: new Date(2026, 10, 22, 9, 20, 7).toISOString(), InvalidUser: 'true' },
      },
      expect.objectContaining({ userName: 'root', remoteAddress: '2001:db8::66', result: 'fail' }),
    ]);
    // The partial last line is read once complete.
    const done = grown + 'word for root from 10.9.9.9 port 1 ssh2\n';
    expect(attempts(await collector.collect(ctx({ files: { '/var/log/auth.log': done } })))).toEqual([
      expect.objectContaining({ remoteAddress: '10.9.9.9' }),
    ]);
  });

  it('reads the whole log with readExisting', async () => {
    const result = await createLoginCollector({ readExisting: true }).collect(
      ctx({ files: { '/var/log/secure': authLog } }),
    );
    expect(attempts(result).filter((a) => a.result === 'success')).toHaveLength(5);
    expect(attempts(result)).toHaveLength(13);
  });

  it('falls back to wtmp and btmp when there is no auth log', async () => {
    const result = await createLoginCollector({ readExisting: true }).collect(
      ctx({
        files: {
          '/var/log/wtmp': new Uint8Array(fixture('wtmp')),
          '/var/log/btmp': new Uint8Array(fixture('btmp')),
        },
      }),
    );
    expect(attempts(result).map((a) => [a.result, a.userName, a.executable, a.remoteAddress])).toEqual([
      ['success', 'alice', 'pts/0', '10.0.2.2'],
      ['success', 'bob', 'pts/1', '2001:db8::7'],
      ['success', 'root', 'tty1', undefined],
      ['fail', 'admin', 'ssh:notty', '203.0.113.9'],
      ['fail', 'root', 'ssh:notty', '203.0.113.9'],
    ]);
    expect(attempts(result)[0]?.extraDetails?.TimeUtc).toBe('2025-11-22T09:15:42.500Z');
  });

  it('reports a machine without login records, and an unreadable btmp, as errors', async () => {
    const none = await createLoginCollector().collect(ctx({ files: {} }));
    expect(none.events).toEqual([]);
    expect(none.errors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', collectorId: 'logins' })]);
    const denied = await createLoginCollector().collect(
      ctx({ files: { '/var/log/wtmp': '', '/var/log/btmp': '' }, denied: ['/var/log/btmp'] }),
    );
    expect(denied.errors.map((e) => [e.code, e.source])).toEqual([['PERMISSION_DENIED', '/var/log/btmp']]);
  });

  it('runs on the live machine without throwing', async () => {
    const result = await createLoginCollector().collect(
      createCollectorContext({ system: createNodeSystem() }),
    );
    expect(result.events).toEqual([]); // first run is a baseline
    expect(result.errors.every((e) => e.collectorId === 'logins')).toBe(true);
  });
});

/** `last`/`lastb` (util-linux) sessions of a utmp file as `user@line`, newest first as they print them. */
function utilLinuxSessions(tool: 'last' | 'lastb', file: string): string[] {
  return execFileSync(tool, ['-w', '-i', '-f', file], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes(' begins ') && !l.startsWith('reboot '))
    .map((l) => {
      const [user, line] = l.split(/\s+/);
      return `${user}@${line}`;
    });
}

const hasLast = (() => {
  try {
    execFileSync('last', ['-V']);
    execFileSync('lastb', ['-V']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasLast) {
  if (process.env['CI'] === 'true')
    throw new Error('`last`/`lastb` (util-linux) missing; CI=true requires them');
  console.warn('login live comparisons skipped: `last`/`lastb` are not installed');
}

describe.skipIf(!hasLast)('login collector on the real file system', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-logins-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const live = () => createCollectorContext({ system: createNodeSystem() });
  const sessions = (r: CollectionResult, result: 'success' | 'fail') =>
    attempts(r)
      .filter((a) => a.result === result)
      .map((a) => `${a.userName}@${a.executable}`)
      .reverse();

  it('reads wtmp and btmp exactly as last and lastb do, and reports a record appended later', async () => {
    const wtmp = join(dir, 'wtmp');
    const btmp = join(dir, 'btmp');
    // `last` reads whole records backwards from the end; the fixture's torn tail is cut for it.
    const whole = fixture('wtmp');
    await writeFile(wtmp, whole.subarray(0, whole.byteLength - (whole.byteLength % UTMP_RECORD_SIZE)));
    await writeFile(btmp, fixture('btmp'));
    const collector = createLoginCollector({
      authLogs: [join(dir, 'auth.log')],
      wtmp,
      btmp,
      readExisting: true,
    });
    const first = await collector.collect(live());
    expect(first.errors).toEqual([]);
    expect(sessions(first, 'success')).toEqual(utilLinuxSessions('last', wtmp));
    expect(sessions(first, 'fail')).toEqual(utilLinuxSessions('lastb', btmp));
    expect(sessions(first, 'success')).toHaveLength(3);

    await appendFile(
      btmp,
      encodeUtmp({
        type: UTMP_TYPES.LOGIN_PROCESS,
        pid: 4321,
        line: 'ssh:notty',
        user: 'mallory',
        host: '198.51.100.7',
        timeMs: Date.UTC(2026, 11, 2, 5, 0, 0),
        addressBytes: [198, 51, 100, 7],
      }),
    );
    const second = await collector.collect(live());
    expect(attempts(second)).toEqual([
      expect.objectContaining({ userName: 'mallory', result: 'fail', remoteAddress: '198.51.100.7' }),
    ]);
    expect(utilLinuxSessions('lastb', btmp)[0]).toBe('mallory@ssh:notty');
  });

  it('reports an sshd line appended to a real auth log, and only that line', async () => {
    const log = join(dir, 'auth.log');
    await writeFile(log, authLog);
    const collector = createLoginCollector({ authLogs: [log] });
    expect((await collector.collect(live())).events).toEqual([]);
    await appendFile(
      log,
      'Dec  2 05:00:01 gw-01 sshd[4242]: Failed password for root from 198.51.100.7 port 50022 ssh2\n',
    );
    const result = await collector.collect(live());
    expect(attempts(result)).toEqual([
      expect.objectContaining({
        processId: 4242,
        userName: 'root',
        result: 'fail',
        remoteAddress: '198.51.100.7',
        remotePort: '50022',
      }),
    ]);
  });

  it("counts the live machine's wtmp and btmp sessions as last and lastb do", async () => {
    const system = ['/var/log/wtmp', '/var/log/btmp'].filter((f) => existsSync(f));
    expect(system.length).toBeGreaterThan(0);
    const result = await createLoginCollector({
      authLogs: [join(dir, 'none')],
      readExisting: true,
      maxBytesPerRun: 256 * 1024 * 1024,
    }).collect(live());
    if (existsSync('/var/log/wtmp')) {
      expect(sessions(result, 'success').length).toBe(utilLinuxSessions('last', '/var/log/wtmp').length);
    }
    if (existsSync('/var/log/btmp')) {
      expect(sessions(result, 'fail').length).toBe(utilLinuxSessions('lastb', '/var/log/btmp').length);
    }
  });
});

describe('log cursor', () => {
  it('restarts a rotated file and skips past the per-run cap at a line boundary', async () => {
    const cursor = createLogCursor({ unit: '\n', readExisting: true, maxBytesPerRun: 10 });
    const read = async (text: string) => {
      const chunk = await cursor.read(createMemorySystem({ files: { '/l': text } }), '/l');
      return [new TextDecoder().decode(chunk.bytes), chunk.skipped];
    };
    expect(await read('aaaa\nbbbb\n')).toEqual(['aaaa\nbbbb\n', 0]);
    expect(await read('aaaa\nbbbb\ncc\n')).toEqual(['cc\n', 0]);
    expect(await read('x\n')).toEqual(['x\n', 0]); // rotated: smaller than before
    expect(await read('x\n1111111\n2222\n3333\n')).toEqual(['2222\n3333\n', 8]);
  });
});
