/**
 * The process collector: ProcessCreate and ProcessTerminate (reference/azure-security-module.md
 * §2.2) found by diffing `/proc` snapshots, with command line, user and parent.
 *
 * A process is identified by pid *and* start time, so a pid reused between runs shows up as one
 * exit and one new process. The first run only takes the snapshot (everything already running is not
 * "created"). Processes that start and end between two runs are not seen: polling cannot catch
 * them (the Linux agents used auditd for that). `/proc` does not keep exit statuses either, so
 * ProcessTerminate carries none.
 */
import type { ProcessRecord } from '@vigil/protocol';
import { userNamesByUid, parsePasswd, readProcesses, type ProcessInfo } from '../linux/index.js';
import type { Collector, CollectorError } from './collector.js';
import { toCollectorError } from './collector-errors.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const PROCESSES_ID = 'processes';

/** Options for {@link createProcessCollector}. */
export interface ProcessCollectorOptions {
  /** Report every process of the first snapshot as created (default false: first run is a baseline). */
  readonly reportExisting?: boolean;
}

const keyOf = (p: ProcessInfo): string => `${p.pid}@${p.startTicks}`;

function created(p: ProcessInfo, names: ReadonlyMap<number, string>): ProcessRecord {
  const userName = p.uid === undefined ? undefined : names.get(p.uid);
  return {
    action: 'exec',
    executable: p.executable ?? `[${p.comm}]`,
    processId: p.pid,
    parentProcessId: p.parentPid,
    ...(p.uid === undefined ? {} : { userId: String(p.uid) }),
    ...(userName === undefined ? {} : { userName }),
    commandLine: p.commandLine,
    hitCount: 1,
    ...(p.executableDeleted ? { extraDetails: { ExecutableDeleted: 'true' } } : {}),
  };
}

function terminated(p: ProcessInfo): ProcessRecord {
  return { action: 'exit', executable: p.executable ?? `[${p.comm}]`, processId: p.pid, hitCount: 1 };
}

/** Creates the process collector (stateful: it remembers the previous snapshot). */
export function createProcessCollector(options: ProcessCollectorOptions = {}): Collector {
  let previous: Map<string, ProcessInfo> | undefined;
  return {
    id: PROCESSES_ID,
    platforms: ['linux'],
    priority: 'Medium',
    description:
      'New and ended processes by diffing /proc/<pid>/{stat,status,cmdline,exe}; user names from /etc/passwd.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const report = (error: unknown, source: string): void => {
        errors.push(toCollectorError(PROCESSES_ID, error, source));
      };
      let snapshot: ProcessInfo[];
      try {
        snapshot = await readProcesses(context.system, report, context.signal);
      } catch (error) {
        report(error, '/proc');
        return { events: [], errors };
      }
      if (context.signal.aborted) {
        // A partial snapshot would look like mass termination; keep the old one.
        errors.push({
          collectorId: PROCESSES_ID,
          code: 'ABORTED',
          message: 'snapshot not finished',
          source: '/proc',
        });
        return { events: [], errors };
      }
      const current = new Map(snapshot.map((p) => [keyOf(p), p]));
      const before = previous ?? (options.reportExisting === true ? new Map<string, ProcessInfo>() : current);
      previous = current;
      const names = await context.system
        .readFile('/etc/passwd')
        .then((text) => userNamesByUid(parsePasswd(text).entries))
        .catch(() => new Map<number, string>());
      const starts = [...current].filter(([k]) => !before.has(k)).map(([, p]) => created(p, names));
      const exits = [...before].filter(([k]) => !current.has(k)).map(([, p]) => terminated(p));
      const events = [];
      if (starts.length > 0) {
        events.push({
          ...eventHeader(context, 'ProcessCreate', 'Triggered'),
          kind: 'process' as const,
          processes: starts,
        });
      }
      if (exits.length > 0) {
        events.push({
          ...eventHeader(context, 'ProcessTerminate', 'Triggered'),
          kind: 'process' as const,
          processes: exits,
        });
      }
      return { events, errors };
    },
  };
}
