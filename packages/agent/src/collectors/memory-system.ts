/**
 * An in-memory `SystemAccess` for tests: fixture files, links, stats and canned command output.
 * Not a mock of behaviour: it stores exactly what a test puts in and fails like the real one
 * (`ENOENT`, `EACCES`) for the rest.
 */
import type {
  CommandResult,
  DirEntry,
  FileKind,
  FileStat,
  HostFacts,
  SystemAccess,
} from './system-access.js';

/** What a test machine contains. Directories are implied by the paths of files and links. */
export interface MemorySystemContent {
  /** Path → content. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Path → link target. */
  readonly links?: Readonly<Record<string, string>>;
  /** Path → stat overrides (mode, uid, gid); default mode 0o644 files, 0o755 directories, uid 0. */
  readonly stats?: Readonly<Record<string, Partial<FileStat>>>;
  /** Paths that exist but fail with `EACCES`. */
  readonly denied?: readonly string[];
  /** `"command arg1 arg2"` → its result; a command not listed is "not installed" (`ENOENT`). */
  readonly commands?: Readonly<Record<string, CommandResult>>;
  readonly host?: Partial<HostFacts>;
}

const DEFAULT_HOST: HostFacts = {
  hostName: 'fixture-host',
  osType: 'Linux',
  osRelease: '6.1.0-test',
  osVersion: '#1 SMP Debian',
  machine: 'x86_64',
  uptimeSeconds: 3600,
  totalMemoryBytes: 2048 * 1024 * 1024,
  freeMemoryBytes: 1024 * 1024 * 1024,
  cpuModel: 'Fixture CPU',
  cpuCount: 2,
  loadAverage: [0.1, 0.2, 0.3],
};

function fsError(code: string, op: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${op} '${path}'`), { code });
}

/** Runs `f` and hands back its value or its throw as a promise, as the real file system would. */
function settle<T>(f: () => T): Promise<T> {
  return new Promise((resolve) => resolve(f()));
}

function parentsOf(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  const out: string[] = ['/'];
  for (let i = 1; i < parts.length; i += 1) out.push('/' + parts.slice(0, i).join('/'));
  return out;
}

/** A `SystemAccess` over fixed content. */
export function createMemorySystem(content: MemorySystemContent): SystemAccess {
  const files = content.files ?? {};
  const links = content.links ?? {};
  const denied = new Set(content.denied ?? []);
  const dirs = new Set<string>();
  for (const p of [...Object.keys(files), ...Object.keys(links)]) for (const d of parentsOf(p)) dirs.add(d);
  for (const [p, s] of Object.entries(content.stats ?? {})) if (s.kind === 'directory') dirs.add(p);

  const kindOf = (path: string): FileKind | undefined => {
    if (path in links) return 'symlink';
    if (path in files) return content.stats?.[path]?.kind ?? 'file';
    if (dirs.has(path)) return 'directory';
    return undefined;
  };
  const guard = (op: string, path: string): void => {
    if (denied.has(path)) throw fsError('EACCES', op, path);
  };
  const fileAt = (op: string, path: string): string | Uint8Array => {
    guard(op, path);
    const data = files[path];
    if (data === undefined) throw fsError('ENOENT', op, path);
    return data;
  };

  return {
    readFile: (path) =>
      settle(() => {
        const data = fileAt('open', path);
        return typeof data === 'string' ? data : new TextDecoder().decode(data);
      }),
    readBytes: (path, range) =>
      settle(() => {
        const data = fileAt('open', path);
        const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
        return range === undefined ? bytes : bytes.slice(range.offset, range.offset + range.length);
      }),
    listDir: (path) =>
      settle(() => {
        guard('scandir', path);
        if (!dirs.has(path)) throw fsError('ENOENT', 'scandir', path);
        const prefix = path === '/' ? '/' : `${path}/`;
        const names = new Set<string>();
        for (const p of [...Object.keys(files), ...Object.keys(links), ...dirs]) {
          if (p.startsWith(prefix) && p !== path) names.add(p.slice(prefix.length).split('/')[0] ?? '');
        }
        return [...names]
          .filter((n) => n !== '')
          .sort()
          .map((name): DirEntry => ({ name, kind: kindOf(prefix + name) ?? 'other' }));
      }),
    readLink: (path) =>
      settle(() => {
        guard('readlink', path);
        const target = links[path];
        if (target === undefined) throw fsError('ENOENT', 'readlink', path);
        return target;
      }),
    stat: (path) =>
      settle((): FileStat => {
        guard('lstat', path);
        const kind = kindOf(path);
        if (kind === undefined) throw fsError('ENOENT', 'lstat', path);
        const data = files[path];
        const size = data === undefined ? 0 : data.length;
        const base: FileStat = { kind, mode: kind === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, size };
        return { ...base, ...content.stats?.[path] };
      }),
    run: (command, args) =>
      settle(() => {
        const result = content.commands?.[[command, ...args].join(' ')];
        if (result === undefined) throw fsError('ENOENT', 'spawn', command);
        return result;
      }),
    host() {
      return { ...DEFAULT_HOST, ...content.host };
    },
  };
}
