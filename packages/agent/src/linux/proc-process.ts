/**
 * Parsers for the per-process files of `/proc/<pid>`: `stat`, `status`, `cmdline` and the `exe` link.
 */

/** The fields of `/proc/<pid>/stat` collectors use. */
export interface ProcStat {
  readonly pid: number;
  /** The command name (`comm`), up to 15 characters, may contain spaces and parentheses. */
  readonly comm: string;
  readonly state: string;
  readonly parentPid: number;
  /** Start time in clock ticks after boot: with the pid, it tells a reused pid from the old process. */
  readonly startTicks: number;
}

/**
 * Parses `/proc/<pid>/stat`. The command name is wrapped in parentheses and may itself contain
 * `)` and spaces, so the fields after it are found from the *last* `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error('stat without a (comm) field');
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] = state (field 3), rest[1] = ppid (4), rest[19] = starttime (22)
  const parentPid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(parentPid) || !Number.isFinite(startTicks)) {
    throw new Error('stat with non-numeric pid, ppid or starttime');
  }
  return { pid, comm: text.slice(open + 1, close), state: rest[0] ?? '?', parentPid, startTicks };
}

/** The real user id from `/proc/<pid>/status` (`Uid:\treal\teffective\tsaved\tfs`), or undefined. */
export function parseStatusUid(text: string): number | undefined {
  const match = /^Uid:\s+(\d+)/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The command line from `/proc/<pid>/cmdline` (arguments separated and ended by NUL), joined by
 * spaces. Kernel threads have an empty file; like `ps`, they are shown as `[comm]`.
 */
export function formatCmdline(raw: string, comm: string): string {
  const args = raw.split('\0');
  if (args.at(-1) === '') args.pop();
  if (args.length === 0) return `[${comm}]`;
  return args.join(' ');
}

/** The executable path from the `exe` link, and whether the file was deleted since it started. */
export function parseExeLink(target: string): { path: string; deleted: boolean } {
  const suffix = ' (deleted)';
  return target.endsWith(suffix)
    ? { path: target.slice(0, -suffix.length), deleted: true }
    : { path: target, deleted: false };
}

/** True for the numeric directory names of `/proc` (processes), false for `self`, `net`, … */
export function isPidName(name: string): boolean {
  return /^[1-9]\d*$/.test(name);
}

/** The inode of a `socket:[12345]` fd link target, or undefined for anything else. */
export function socketInode(target: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(target);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
