/**
 * Reads what `/proc` tells about processes: one process's identity, command line and executable,
 * and a snapshot of all of them for the process collector to diff.
 */
import type { SystemAccess } from '../collectors/index.js';
import { isMissing } from './parse-error.js';
import { formatCmdline, isPidName, parseExeLink, parseProcStat, parseStatusUid } from './proc-process.js';
import type { ReportProblem } from './socket-reader.js';

/** One process as seen at one moment. */
export interface ProcessInfo {
  readonly pid: number;
  readonly parentPid: number;
  /** Clock ticks after boot; `pid` + `startTicks` identify a process even when pids are reused. */
  readonly startTicks: number;
  readonly comm: string;
  readonly uid?: number;
  /** Absent for kernel threads and for other users' processes when the agent is not root. */
  readonly executable?: string;
  /** The executable was deleted or replaced after the process started (a classic implant trace). */
  readonly executableDeleted: boolean;
  readonly commandLine: string;
}

/** The process with `pid`, or undefined when it exited before it could be read. */
export async function readProcess(system: SystemAccess, pid: number): Promise<ProcessInfo | undefined> {
  const base = `/proc/${pid}`;
  let stat;
  try {
    stat = parseProcStat(await system.readFile(`${base}/stat`));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const [status, cmdline, exe] = await Promise.all([
    system.readFile(`${base}/status`).catch(() => ''),
    system.readFile(`${base}/cmdline`).catch(() => ''),
    system.readLink(`${base}/exe`).catch(() => undefined),
  ]);
  const uid = parseStatusUid(status);
  const link = exe === undefined ? undefined : parseExeLink(exe);
  return {
    pid,
    parentPid: stat.parentPid,
    startTicks: stat.startTicks,
    comm: stat.comm,
    ...(uid === undefined ? {} : { uid }),
    ...(link === undefined ? {} : { executable: link.path }),
    executableDeleted: link?.deleted ?? false,
    commandLine: formatCmdline(cmdline, stat.comm),
  };
}

/** Every process now running (threads are not listed: `/proc` shows only thread-group leaders). */
export async function readProcesses(
  system: SystemAccess,
  report: ReportProblem,
  signal?: AbortSignal,
): Promise<ProcessInfo[]> {
  const pids = (await system.listDir('/proc')).filter((e) => isPidName(e.name)).map((e) => Number(e.name));
  const out: ProcessInfo[] = [];
  for (const pid of pids) {
    if (signal?.aborted === true) break;
    try {
      const info = await readProcess(system, pid);
      if (info !== undefined) out.push(info);
    } catch (error) {
      report(error, `/proc/${pid}/stat`);
    }
  }
  return out;
}
