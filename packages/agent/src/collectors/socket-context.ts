/**
 * What the socket collectors share: one read of the socket tables, annotated with the owning process
 * and user where the machine lets the agent see them.
 */
import type { ExtraDetails } from '@vigil/protocol';
import type { ProcessInfo } from '../linux/process-reader.js';
import { readProcess } from '../linux/process-reader.js';
import type { SocketEntry } from '../linux/proc-net.js';
import { readSocketOwners, readSockets } from '../linux/socket-reader.js';
import type { CollectorContext, CollectorError } from './collector.js';
import { toCollectorError } from './collector-errors.js';

/** A socket with its owner, when known. */
export interface OwnedSocket {
  readonly socket: SocketEntry;
  readonly process?: ProcessInfo;
}

/**
 * Reads all sockets and their owners. Owner lookup failing (no `/proc`, no permission) leaves sockets
 * unowned and adds one error; it never loses the sockets themselves.
 */
export async function readOwnedSockets(
  collectorId: string,
  context: CollectorContext,
  errors: CollectorError[],
): Promise<OwnedSocket[]> {
  const { system, signal } = context;
  const report = (error: unknown, source: string): void => {
    errors.push(toCollectorError(collectorId, error, source));
  };
  const sockets = await readSockets(system, report);
  let owners = new Map<number, number>();
  try {
    const found = await readSocketOwners(system, signal);
    owners = found.owners;
    if (found.denied > 0) {
      errors.push({
        collectorId,
        code: 'PERMISSION_DENIED',
        message: `could not read the fd table of ${found.denied} processes; their sockets have no process`,
        source: '/proc/<pid>/fd',
      });
    }
  } catch (error) {
    report(error, '/proc');
  }
  const processes = new Map<number, Promise<ProcessInfo | undefined>>();
  const processOf = (pid: number): Promise<ProcessInfo | undefined> => {
    let p = processes.get(pid);
    if (p === undefined) {
      p = readProcess(system, pid).catch(() => undefined);
      processes.set(pid, p);
    }
    return p;
  };
  return Promise.all(
    sockets.map(async (socket): Promise<OwnedSocket> => {
      const pid = socket.inode === 0 ? undefined : owners.get(socket.inode);
      const process = pid === undefined ? undefined : await processOf(pid);
      return process === undefined ? { socket } : { socket, process };
    }),
  );
}

/** ExtraDetails naming the owning process, as the Linux agents send them (reference §2.2 `Pid`). */
export function ownerDetails(owned: OwnedSocket): Record<string, string> {
  const details: Record<string, string> = {};
  if (owned.process !== undefined) {
    details.Pid = String(owned.process.pid);
    if (owned.process.executable !== undefined) details.Executable = owned.process.executable;
  }
  return details;
}

/** `details` when it has anything, so empty maps are not sent. */
export function nonEmpty(details: Record<string, string>): { extraDetails?: ExtraDetails } {
  return Object.keys(details).length === 0 ? {} : { extraDetails: details };
}
