/**
 * The real machine as a `SystemAccess`: `node:fs/promises`, `node:child_process` and `node:os`.
 */
import { execFile } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import os from 'node:os';
import type {
  ByteRange,
  CommandResult,
  DirEntry,
  FileKind,
  FileStat,
  HostFacts,
  RunOptions,
  SystemAccess,
} from '../collectors/index.js';

/** Default cap on a command's stdout (firewall rulesets of big hosts fit well within it). */
const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  return 'other';
}

async function readRange(path: string, range: ByteRange | undefined): Promise<Uint8Array> {
  if (range === undefined) return new Uint8Array(await readFile(path));
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(range.length);
    const { bytesRead } = await handle.read(buffer, 0, range.length, range.offset);
    return new Uint8Array(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        encoding: 'utf8',
        maxBuffer: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
        signal: options.signal,
        env: { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ exitCode: 0, stdout, stderr });
        // A missing program or an abort is a failure to run; a non-zero exit is a result.
        if (typeof error.code === 'number') return resolve({ exitCode: error.code, stdout, stderr });
        reject(error instanceof Error ? error : new Error(`${command} failed to run`));
      },
    );
  });
}

/** Runs a synchronous call and hands back its value or its throw as a promise. */
function settle<T>(f: () => T): Promise<T> {
  return new Promise((resolve) => resolve(f()));
}

/**
 * The `SystemAccess` of the machine the agent runs on.
 *
 * Files, links, directories and `lstat` use the synchronous `node:fs` calls on purpose: collectors
 * read hundreds of tiny `/proc` files per run, which the kernel serves from memory, and the promise
 * API pays several thread-pool round trips per file (open, fstat, read, close). Measured on a
 * 2-core Debian 12 container with 134 processes: 14 ms CPU per `/proc` sweep synchronously against
 * 88 ms with `fs/promises`. Each call still returns a promise, and collectors await between files,
 * so the event loop is never held for more than one small read. Large files (logs) go through
 * `readBytes`, which stays asynchronous.
 */
export function createNodeSystem(): SystemAccess {
  return {
    readFile: (path) => settle(() => readFileSync(path, 'utf8')),
    readBytes: readRange,
    listDir: (path) =>
      settle((): DirEntry[] =>
        readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, kind: kindOf(e) })),
      ),
    readLink: (path) => settle(() => readlinkSync(path)),
    stat: (path) =>
      settle((): FileStat => {
        const s = lstatSync(path);
        return { kind: kindOf(s), mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: s.size };
      }),
    run: runCommand,
    host(): HostFacts {
      const cpus = os.cpus();
      const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
      return {
        hostName: os.hostname(),
        osType: os.type(),
        osRelease: os.release(),
        osVersion: os.version(),
        machine: os.machine(),
        uptimeSeconds: os.uptime(),
        totalMemoryBytes: os.totalmem(),
        freeMemoryBytes: os.freemem(),
        cpuModel: cpus[0]?.model ?? 'unknown',
        cpuCount: cpus.length,
        loadAverage: [l1, l5, l15],
      };
    },
  };
}
