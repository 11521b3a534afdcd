/**
 * A bounded walk of system directories for world-writable entries: files anyone may modify, and
 * directories anyone may write into without the sticky bit. Symbolic links are not followed (their
 * own mode is always 0777 and means nothing).
 */
import type { SystemAccess } from './system-access.js';

/** The directories walked by default: where executables and configuration live. */
export const SYSTEM_PATHS: readonly string[] = [
  '/etc',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/boot',
];

/** Options for {@link findWorldWritable}. */
export interface WorldWritableOptions {
  readonly roots?: readonly string[];
  /** Most entries examined before the walk stops (default 20 000). */
  readonly maxEntries?: number;
  /** Deepest directory level below a root (default 8). */
  readonly maxDepth?: number;
  readonly signal?: AbortSignal;
}

/** Outcome of a walk. */
export interface WorldWritableResult {
  readonly paths: readonly string[];
  readonly visited: number;
  /** The walk hit `maxEntries` or was aborted before finishing. */
  readonly truncated: boolean;
}

/** Walks `roots` breadth-first within the bounds; unreadable directories are skipped. */
export async function findWorldWritable(
  system: SystemAccess,
  options: WorldWritableOptions = {},
): Promise<WorldWritableResult> {
  const maxEntries = options.maxEntries ?? 20_000;
  const maxDepth = options.maxDepth ?? 8;
  const queue: { path: string; depth: number }[] = (options.roots ?? SYSTEM_PATHS).map((path) => ({
    path,
    depth: 0,
  }));
  const paths: string[] = [];
  let visited = 0;
  while (queue.length > 0) {
    if (visited >= maxEntries || options.signal?.aborted === true) return { paths, visited, truncated: true };
    const { path, depth } = queue.shift() ?? { path: '', depth: 0 };
    visited += 1;
    let stat;
    try {
      stat = await system.stat(path);
    } catch {
      continue;
    }
    if (stat.kind === 'symlink') continue;
    const worldWritable = (stat.mode & 0o002) !== 0;
    if (stat.kind === 'directory') {
      if (worldWritable && (stat.mode & 0o1000) === 0) paths.push(path);
      if (depth >= maxDepth) continue;
      try {
        for (const entry of await system.listDir(path)) {
          if (entry.kind !== 'symlink')
            queue.push({ path: `${path === '/' ? '' : path}/${entry.name}`, depth: depth + 1 });
        }
      } catch {
        continue;
      }
    } else if (worldWritable) {
      paths.push(path);
    }
  }
  return { paths, visited, truncated: false };
}
