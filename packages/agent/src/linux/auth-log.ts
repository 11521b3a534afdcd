/**
 * Parser of login lines in the syslog auth log (`/var/log/auth.log` on Debian, `/var/log/secure` on
 * Red Hat): sshd's Accepted/Failed lines, PAM authentication failures and sessions of `login`/`su`,
 * and `login`'s FAILED LOGIN lines. Both the traditional (`Nov 22 23:49:48`) and the RFC 3339
 * (`2026-11-22T23:49:48.123456+00:00`) timestamp formats are read.
 */

/** One login attempt found in the log. */
export interface AuthLogLogin {
  /** Epoch milliseconds, or null when the timestamp could not be read. */
  readonly timeMs: number | null;
  readonly program: string;
  readonly pid: number;
  readonly result: 'success' | 'fail';
  /** `password`, `publickey`, `keyboard-interactive/pam`, `auth`, `session`… */
  readonly method: string;
  readonly user: string;
  readonly invalidUser: boolean;
  readonly remoteAddress?: string;
  readonly remotePort?: string;
  readonly tty?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const HEADER =
  /^(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))|([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})) \S+ ([\w.-]+)\[(\d+)\]: (.*)$/;

/**
 * The time of a syslog header. Traditional timestamps have no year and are local time: the year is
 * the one that puts the line at most a day after `nowMs` (a December line read in January is last
 * year's).
 */
function headerTime(m: RegExpExecArray, nowMs: number): number | null {
  if (m[1] !== undefined) {
    const t = Date.parse(m[1]);
    return Number.isNaN(t) ? null : t;
  }
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return null;
  const year = new Date(nowMs).getFullYear();
  const at = (y: number): number =>
    new Date(y, month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])).getTime();
  const guess = at(year);
  return guess > nowMs + 86_400_000 ? at(year - 1) : guess;
}

const SSHD = /^(Accepted|Failed) (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?(?:[:,].*)?$/;
const PAM_FAILURE = /^pam_unix\(([\w-]+):auth\): authentication failure;(.*)$/;
const PAM_SESSION = /^pam_unix\((\w[\w-]*):session\): session opened for user ([^\s(]+)/;
const LOGIN_FAILED = /^FAILED LOGIN \(\d+\) on '([^']*)'(?: from '([^']*)')? FOR '([^']*)'/;
const REPEATED = /^message repeated (\d+) times: \[ ?(.*?) ?\]$/;

/** Programs whose PAM sessions are logins (cron, sudo and systemd --user open sessions too, but are not). */
const LOGIN_SESSION_PROGRAMS = new Set(['login', 'su', 'su-l']);

function parseMessage(
  program: string,
  message: string,
): Omit<AuthLogLogin, 'timeMs' | 'program' | 'pid'> | undefined {
  if (program === 'sshd') {
    const m = SSHD.exec(message);
    if (m === null) return undefined;
    return {
      result: m[1] === 'Accepted' ? 'success' : 'fail',
      method: m[2] ?? '',
      invalidUser: m[3] !== undefined,
      user: m[4] ?? '',
      remoteAddress: m[5] ?? '',
      remotePort: m[6] ?? '',
    };
  }
  const failure = PAM_FAILURE.exec(message);
  if (failure !== null && failure[1] !== 'sshd' && failure[1] !== 'sudo') {
    // `logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root`
    const fields = new Map(
      [...(failure[2] ?? '').matchAll(/(\w+)=(\S*)/g)].map((f) => [f[1] ?? '', f[2] ?? '']),
    );
    const tty = fields.get('tty');
    const rhost = fields.get('rhost');
    return {
      result: 'fail',
      method: 'auth',
      invalidUser: false,
      user: fields.get('user') ?? '',
      ...(tty ? { tty } : {}),
      ...(rhost ? { remoteAddress: rhost } : {}),
    };
  }
  const session = PAM_SESSION.exec(message);
  if (session !== null && LOGIN_SESSION_PROGRAMS.has(session[1] ?? '')) {
    return { result: 'success', method: 'session', invalidUser: false, user: session[2] ?? '' };
  }
  const failed = LOGIN_FAILED.exec(message);
  if (failed !== null) {
    return {
      result: 'fail',
      method: 'password',
      invalidUser: failed[3] === 'UNKNOWN',
      user: failed[3] ?? '',
      tty: failed[1] ?? '',
      ...(failed[2] ? { remoteAddress: failed[2] } : {}),
    };
  }
  return undefined;
}

/**
 * Login attempts in auth log text. `message repeated N times: [ … ]` lines (rsyslog's duplicate
 * suppression) count as N attempts. Standalone `Invalid user X from …` lines are skipped: sshd logs
 * them before the `Failed … for invalid user X` lines of the same connection, which are counted.
 */
export function parseAuthLog(text: string, nowMs: number): AuthLogLogin[] {
  const out: AuthLogLogin[] = [];
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line.trimEnd());
    if (header === null) continue;
    const program = header[7] ?? '';
    let message = header[9] ?? '';
    let times = 1;
    const repeated = REPEATED.exec(message);
    if (repeated !== null) {
      times = Number(repeated[1]);
      message = repeated[2] ?? '';
    }
    const found = parseMessage(program, message);
    if (found === undefined) continue;
    const login: AuthLogLogin = {
      timeMs: headerTime(header, nowMs),
      program,
      pid: Number(header[8]),
      ...found,
    };
    for (let i = 0; i < times; i += 1) out.push(login);
  }
  return out;
}
