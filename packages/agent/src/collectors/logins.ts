/**
 * The Login collector (reference/azure-security-module.md §2.2): successful and failed logins.
 *
 * Where the machine keeps a syslog auth log (`/var/log/auth.log`, `/var/log/secure`), it is the
 * source: it names the method, the remote port and failures of every kind. Otherwise `wtmp`
 * (successful logins) and `btmp` (failed ones) are read. Both are read incrementally: each run
 * reports the attempts logged since the previous run; the first run starts at the end of the files
 * (option `readExisting` to start at their beginning). A machine with none of them (journald only,
 * a container) gets one `NOT_FOUND` error per run, and no event.
 */
import type { LoginAttempt } from '@vigil/protocol';
import {
  parseAuthLog,
  type AuthLogLogin,
  parseUtmp,
  UTMP_TYPES,
  UTMP_RECORD_SIZE,
  type UtmpRecord,
} from '../linux/index.js';
import type { Collector, CollectorContext, CollectorError } from './collector.js';
import { isNotFound, toCollectorError } from './collector-errors.js';
import { eventHeader } from './event-header.js';
import { createLogCursor } from './log-cursor.js';

/** The collector's id in configuration. */
export const LOGINS_ID = 'logins';

/** Options for {@link createLoginCollector}. */
export interface LoginCollectorOptions {
  /** Auth log paths, in order (default `/var/log/auth.log`, `/var/log/secure`). */
  readonly authLogs?: readonly string[];
  readonly wtmp?: string;
  readonly btmp?: string;
  /** Report what the files already hold on the first run (default false). */
  readonly readExisting?: boolean;
  /** Most bytes read per file per run (default 1 MiB). */
  readonly maxBytesPerRun?: number;
}

const EXECUTABLES: Readonly<Record<string, string>> = {
  sshd: '/usr/sbin/sshd',
  login: '/bin/login',
  su: '/bin/su',
};

const isoOrNothing = (ms: number | null): Record<string, string> =>
  ms === null ? {} : { TimeUtc: new Date(ms).toISOString() };

function fromAuthLog(l: AuthLogLogin): LoginAttempt {
  return {
    processId: l.pid,
    userName: l.user,
    operation: `${l.program}:${l.method}`,
    executable: EXECUTABLES[l.program] ?? l.program,
    ...(l.remoteAddress === undefined ? {} : { remoteAddress: l.remoteAddress }),
    ...(l.remotePort === undefined ? {} : { remotePort: l.remotePort }),
    result: l.result,
    extraDetails: {
      ...isoOrNothing(l.timeMs),
      ...(l.invalidUser ? { InvalidUser: 'true' } : {}),
      ...(l.tty === undefined ? {} : { Tty: l.tty }),
    },
  };
}

function fromUtmp(r: UtmpRecord, result: 'success' | 'fail'): LoginAttempt {
  const remote = r.address ?? (r.host === '' ? undefined : r.host);
  return {
    processId: r.pid,
    userName: r.user,
    operation: result === 'success' ? 'wtmp:login' : 'btmp:failed',
    // The micro agent reports the terminal as the executable for utmp-sourced logins (reference §2.8).
    executable: r.line,
    ...(remote === undefined ? {} : { remoteAddress: remote }),
    result,
    extraDetails: isoOrNothing(r.timeMs),
  };
}

/** Creates the login collector (stateful: it remembers how far it read each file). */
export function createLoginCollector(options: LoginCollectorOptions = {}): Collector {
  const authLogs = options.authLogs ?? ['/var/log/auth.log', '/var/log/secure'];
  const wtmp = options.wtmp ?? '/var/log/wtmp';
  const btmp = options.btmp ?? '/var/log/btmp';
  const common = {
    ...(options.readExisting === undefined ? {} : { readExisting: options.readExisting }),
    ...(options.maxBytesPerRun === undefined ? {} : { maxBytesPerRun: options.maxBytesPerRun }),
  };
  const textCursor = createLogCursor({ ...common, unit: '\n' });
  const utmpCursor = createLogCursor({ ...common, unit: UTMP_RECORD_SIZE });

  /** Reads a file's new part; undefined when the file does not exist, errors recorded. */
  async function readNew(context: CollectorContext, path: string, binary: boolean, errors: CollectorError[]) {
    try {
      const chunk = await (binary ? utmpCursor : textCursor).read(context.system, path);
      if (chunk.skipped > 0) {
        errors.push({
          collectorId: LOGINS_ID,
          code: 'DATA_DROPPED',
          message: `skipped ${chunk.skipped} bytes logged too fast`,
          source: path,
        });
      }
      return chunk.bytes;
    } catch (error) {
      if (!isNotFound(error)) errors.push(toCollectorError(LOGINS_ID, error, path));
      return isNotFound(error) ? undefined : new Uint8Array(0);
    }
  }

  return {
    id: LOGINS_ID,
    platforms: ['linux'],
    priority: 'High',
    description: `Logins from ${authLogs.join(' or ')} (sshd, login, su), else ${wtmp} and ${btmp}; read incrementally.`,
    async collect(context) {
      const errors: CollectorError[] = [];
      const attempts: LoginAttempt[] = [];
      let found = false;
      for (const path of authLogs) {
        const bytes = await readNew(context, path, false, errors);
        if (bytes === undefined) continue;
        found = true;
        const text = new TextDecoder().decode(bytes);
        attempts.push(...parseAuthLog(text, context.clock.now()).map(fromAuthLog));
      }
      if (!found) {
        for (const [path, result] of [
          [wtmp, 'success'],
          [btmp, 'fail'],
        ] as const) {
          const bytes = await readNew(context, path, true, errors);
          if (bytes === undefined) continue;
          found = true;
          const records = parseUtmp(bytes).filter((r) =>
            result === 'success'
              ? r.type === UTMP_TYPES.USER_PROCESS
              : r.type === UTMP_TYPES.LOGIN_PROCESS || r.type === UTMP_TYPES.USER_PROCESS,
          );
          attempts.push(...records.map((r) => fromUtmp(r, result)));
        }
      }
      if (!found) {
        errors.push({
          collectorId: LOGINS_ID,
          code: 'NOT_FOUND',
          message: 'no login records on this machine (no auth log, wtmp or btmp)',
          source: [...authLogs, wtmp, btmp].join(', '),
        });
      }
      if (attempts.length === 0) return { events: [], errors };
      const header = eventHeader(context, 'Login', 'Triggered');
      return { events: [{ ...header, kind: 'login', attempts }], errors };
    },
  };
}
