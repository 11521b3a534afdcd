/**
 * The machine as collectors see it: files, directories, commands and a few host facts.
 *
 * Collectors never touch `node:fs` or `node:child_process` directly, so every parser runs on fixture
 * files in tests (`createMemorySystem`) and on the real machine in production (`createNodeSystem`).
 * Failures are thrown as Node-style errors carrying `code` (`ENOENT`, `EACCES`…); collectors turn them
 * into `CollectorError`s with `toCollectorError`.
 */

/** The kind of a directory entry or file. */
export type FileKind = 'file' | 'directory' | 'symlink' | 'other';

/** One entry of a directory listing. */
export interface DirEntry {
  readonly name: string;
  readonly kind: FileKind;
}

/** The parts of `stat(2)` collectors need (baseline permission checks). */
export interface FileStat {
  readonly kind: FileKind;
  /** Permission bits including setuid/setgid/sticky (`mode & 0o7777`). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
}

/** What a finished command produced. A non-zero exit is a result, not a throw. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A part of a file: `length` bytes from `offset`. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** Options for {@link SystemAccess.run}. */
export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Cap on stdout bytes kept; the command is killed past it. */
  readonly maxOutputBytes?: number;
}

/** Host facts Node reads from the kernel (`uname`, `sysinfo`), injected so tests can fake them. */
export interface HostFacts {
  readonly hostName: string;
  /** `uname -s`, e.g. `Linux`. */
  readonly osType: string;
  /** `uname -r`. */
  readonly osRelease: string;
  /** `uname -v`. */
  readonly osVersion: string;
  /** `uname -m`, e.g. `x86_64`. */
  readonly machine: string;
  readonly uptimeSeconds: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly loadAverage: readonly [number, number, number];
}

/** Read-only access to the machine for collectors. */
export interface SystemAccess {
  /** UTF-8 text of a file (pseudo-files under `/proc` included). */
  readFile(path: string): Promise<string>;
  /**
   * Raw bytes of a file (`/var/log/wtmp`): all of it, or `length` bytes from `offset` (fewer at the
   * end of the file), so growing logs can be read incrementally.
   */
  readBytes(path: string, range?: ByteRange): Promise<Uint8Array>;
  listDir(path: string): Promise<readonly DirEntry[]>;
  /** The target of a symbolic link (`/proc/<pid>/fd/3` → `socket:[12345]`). */
  readLink(path: string): Promise<string>;
  /** `lstat(2)`: symbolic links are described, not followed. */
  stat(path: string): Promise<FileStat>;
  /** Run a program without a shell. Throws `ENOENT` when it is not installed. */
  run(command: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  host(): HostFacts;
}
