/**
 * Reads the machine's sockets: every `/proc/net` socket table, which process holds each socket
 * (inode → pid through the `/proc/<pid>/fd` links, where permitted), and TCP byte counters from
 * `ss -tinH` when iproute2 is installed.
 */
import type { SystemAccess } from '../collectors/index.js';
import { isPidName, socketInode } from './proc-process.js';
import { SOCKET_TABLES, parseSocketTable, type SocketEntry } from './proc-net.js';
import { isMissing, parseError } from './parse-error.js';
import { parseSsTcpBytes, type TcpBytes } from './ss-output.js';

/** Called for each part that could not be read; reading goes on. */
export type ReportProblem = (error: unknown, source: string) => void;

/** Every socket of every `/proc/net` table. A table that does not exist (no IPv6, no ICMP) is skipped quietly. */
export async function readSockets(system: SystemAccess, report: ReportProblem): Promise<SocketEntry[]> {
  const tables = await Promise.all(
    SOCKET_TABLES.map(async ({ file, protocol, ipVersion }) => {
      const path = `/proc/net/${file}`;
      try {
        const table = parseSocketTable(protocol, ipVersion, await system.readFile(path));
        for (const p of table.problems) report(parseError(`line ${p.line}: ${p.message}`), path);
        return table.entries;
      } catch (error) {
        if (!isMissing(error)) report(error, path);
        return [];
      }
    }),
  );
  return tables.flat();
}

/**
 * Socket inode → owning pid, from the fd links of every process. Processes that exit meanwhile are
 * skipped; fd directories the agent may not read (other users' processes when not root) are counted
 * in `denied`, not reported one by one.
 */
export async function readSocketOwners(
  system: SystemAccess,
  signal?: AbortSignal,
): Promise<{ owners: Map<number, number>; denied: number }> {
  const owners = new Map<number, number>();
  let denied = 0;
  const pids = (await system.listDir('/proc')).filter((e) => isPidName(e.name)).map((e) => Number(e.name));
  for (const pid of pids) {
    if (signal?.aborted === true) break;
    let fds;
    try {
      fds = await system.listDir(`/proc/${pid}/fd`);
    } catch (error) {
      if (!isMissing(error)) denied += 1;
      continue;
    }
    const targets = await Promise.all(
      fds.map((fd) => system.readLink(`/proc/${pid}/fd/${fd.name}`).catch(() => '')),
    );
    for (const target of targets) {
      const inode = socketInode(target);
      // Shared sockets (after fork) keep the first, lowest pid: usually the parent daemon.
      if (inode !== undefined && !owners.has(inode)) owners.set(inode, pid);
    }
  }
  return { owners, denied };
}

/**
 * TCP byte counters by flow key, from `ss -tinH`. Returns undefined when `ss` is absent or fails:
 * `/proc/net/tcp` has no byte counters, so flows then carry none. `wanted` keeps only those
 * `flowKey`s.
 */
export async function readTcpBytes(
  system: SystemAccess,
  signal?: AbortSignal,
  wanted?: ReadonlySet<string>,
): Promise<Map<string, TcpBytes> | undefined> {
  try {
    const result = await system.run('ss', ['-tinH'], signal === undefined ? {} : { signal });
    return result.exitCode === 0 ? parseSsTcpBytes(result.stdout, wanted) : undefined;
  } catch {
    return undefined;
  }
}
