/**
 * Reading the effective global settings of the OpenSSH server from `/etc/ssh/sshd_config`, as sshd
 * itself does (sshd_config(5)): keywords are case-insensitive, the *first* value given for a keyword
 * wins, `Include` files are read in place in lexical order, and lines after a `Match` block starts
 * are conditional (they are ignored here; `Match all` returns to the global section).
 */
import type { SystemAccess } from '../collectors/index.js';

/** Effective global settings by lower-case keyword, and the files read. */
export interface SshdConfig {
  readonly settings: ReadonlyMap<string, string>;
  readonly files: readonly string[];
}

/** One `keyword value…` line (with `keyword=value` accepted), or undefined for blanks and comments. */
export function parseSshdLine(line: string): { keyword: string; value: string } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(trimmed);
  if (match === null) return { keyword: trimmed.toLowerCase(), value: '' };
  return { keyword: (match[1] ?? '').toLowerCase(), value: (match[2] ?? '').replace(/^"(.*)"$/, '$1') };
}

/** Expands an Include pattern (a `*`/`?` glob in the last path component) to sorted paths. */
async function expandInclude(system: SystemAccess, pattern: string, base: string): Promise<string[]> {
  const path = pattern.startsWith('/') ? pattern : `${base}/${pattern}`;
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash) || '/';
  const name = path.slice(slash + 1);
  if (!/[*?]/.test(name)) return [path];
  const re = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  try {
    const entries = await system.listDir(dir);
    return entries
      .filter((e) => e.kind !== 'directory' && re.test(e.name))
      .map((e) => `${dir}/${e.name}`)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Reads sshd's global settings starting at `path`. Throws like `SystemAccess.readFile` when the main
 * file cannot be read; unreadable include files are skipped.
 */
export async function readSshdConfig(
  system: SystemAccess,
  path = '/etc/ssh/sshd_config',
): Promise<SshdConfig> {
  const settings = new Map<string, string>();
  const files: string[] = [];
  let inMatch = false;
  const visit = async (file: string, depth: number, main: boolean): Promise<void> => {
    let text: string;
    try {
      text = await system.readFile(file);
    } catch (error) {
      if (main) throw error;
      return;
    }
    files.push(file);
    for (const line of text.split('\n')) {
      const parsed = parseSshdLine(line);
      if (parsed === undefined) continue;
      if (parsed.keyword === 'match') {
        inMatch = parsed.value.trim().toLowerCase() !== 'all';
        continue;
      }
      if (parsed.keyword === 'include') {
        if (depth >= 16) continue; // sshd's own recursion limit
        for (const pattern of parsed.value.split(/\s+/).filter((p) => p !== '')) {
          for (const included of await expandInclude(system, pattern, '/etc/ssh'))
            await visit(included, depth + 1, false);
        }
        continue;
      }
      if (!inMatch && !settings.has(parsed.keyword)) settings.set(parsed.keyword, parsed.value);
    }
  };
  await visit(path, 0, true);
  return { settings, files };
}
