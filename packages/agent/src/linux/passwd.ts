/**
 * Parsers for `/etc/passwd` and `/etc/group` (colon-separated, one account per line).
 */

/** One `/etc/passwd` line. */
export interface PasswdEntry {
  readonly name: string;
  /** The password field: `x` (in /etc/shadow), empty (no password!), `*`/`!` (locked). */
  readonly password: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly home: string;
  readonly shell: string;
}

/** One `/etc/group` line. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  /** Supplementary members (the fourth field, comma-separated). */
  readonly members: readonly string[];
}

/** False for blank lines, comments and NIS compat lines (`+`/`-`), which are not local accounts. */
function isAccountLine(line: string): boolean {
  return line.trim() !== '' && !/^[#+-]/.test(line);
}

/** Parses `/etc/passwd`; malformed lines are returned separately, by 1-based number. */
export function parsePasswd(text: string): { entries: PasswdEntry[]; badLines: number[] } {
  const entries: PasswdEntry[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!isAccountLine(line)) return;
    const f = line.split(':');
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (f.length < 7 || f[0] === '' || !Number.isInteger(uid) || !Number.isInteger(gid) || f[2] === '') {
      badLines.push(i + 1);
      return;
    }
    entries.push({
      name: f[0] ?? '',
      password: f[1] ?? '',
      uid,
      gid,
      gecos: f[4] ?? '',
      home: f[5] ?? '',
      shell: f.slice(6).join(':'),
    });
  });
  return { entries, badLines };
}

/** Parses `/etc/group`; malformed lines are returned separately, by 1-based number. */
export function parseGroup(text: string): { entries: GroupEntry[]; badLines: number[] } {
  const entries: GroupEntry[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!isAccountLine(line)) return;
    const f = line.split(':');
    const gid = Number(f[2]);
    if (f.length < 4 || f[0] === '' || f[2] === '' || !Number.isInteger(gid)) {
      badLines.push(i + 1);
      return;
    }
    const members = (f[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '');
    entries.push({ name: f[0] ?? '', gid, members });
  });
  return { entries, badLines };
}

/** uid → user name, for annotating sockets and processes. */
export function userNamesByUid(entries: readonly PasswdEntry[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of entries) if (!out.has(e.uid)) out.set(e.uid, e.name);
  return out;
}
