/**
 * What the socket collectors share: one read of the socket tables, annotated with the owning process
 * and user where the machine lets the agent see them.
 */
import type { ExtraDetails } from '@vigil/protocol';
import {
  type ProcessInfo,
  readProcess,
  type SocketEntry,
  readSocketOwners,
  readSockets,
} from '../linux/index.js';
import type { CollectorContext, CollectorError } from './collector.js';
import type { SystemAccess } from './system-access.js';
import { toCollectorError } from './collector-errors.js';

/** A socket with its owner, when known. */
export interface OwnedSocket {
  readonly socket: SocketEntry;
  readonly process?: ProcessInfo;
}

/** Inode → pid from the last fd scan, and the inodes that scan found no owner for. */
interface OwnerCache {
  owners: Map<number, number>;
  ownerless: Set<number>;
  denied: number;
}

/** One reading of the sockets, shared by the collectors that run in the same tick. */
interface SocketReading {
  readonly at: number;
  readonly result: Promise<{
    sockets: OwnedSocket[];
    problems: { error: unknown; source: string }[];
    denied: number;
  }>;
}

/** Readings younger than this are shared (network activity and listening ports run together). */
const SHARE_MS = 1000;
const readings = new WeakMap<SystemAccess, SocketReading>();
const ownerCaches = new WeakMap<SystemAccess, OwnerCache>();

/**
 * Socket owners, scanning every `/proc/<pid>/fd` only when a socket appeared that the last scan did
 * not account for: with a steady set of connections, runs after the first read no fd links at all.
 */
async function ownersFor(
  system: SystemAccess,
  inodes: readonly number[],
  signal: AbortSignal,
): Promise<OwnerCache> {
  const cached = ownerCaches.get(system);
  const unknown = inodes.some((i) => i !== 0 && !cached?.owners.has(i) && !cached?.ownerless.has(i));
  if (cached !== undefined && !unknown) return cached;
  const found = await readSocketOwners(system, signal);
  const fresh: OwnerCache = {
    owners: found.owners,
    ownerless: new Set(inodes.filter((i) => i !== 0 && !found.owners.has(i))),
    denied: found.denied,
  };
  // Kept only for sockets that still exist, so the cache is bounded by the socket count.
  const live = new Set(inodes);
  for (const inode of fresh.owners.keys()) if (!live.has(inode)) fresh.owners.delete(inode);
  ownerCaches.set(system, fresh);
  return fresh;
}

async function readFresh(context: CollectorContext): Promise<Awaited<SocketReading['result']>> {
  const { system, signal } = context;
  const problems: { error: unknown; source: string }[] = [];
  const report = (error: unknown, source: string): void => {
    problems.push({ error, source });
  };
  const sockets = await readSockets(system, report);
  let owners = new Map<number, number>();
  let denied = 0;
  try {
    const cache = await ownersFor(
      system,
      sockets.map((s) => s.inode),
      signal,
    );
    owners = cache.owners;
    denied = cache.denied;
  } catch (error) {
    report(error, '/proc');
  }
  // One read per owning process, then a plain pass: no promise per socket (a busy host has tens of
  // thousands, nearly all TIME_WAITs that no process holds).
  const processes = new Map<number, ProcessInfo | undefined>();
  for (const socket of sockets) {
    const pid = socket.inode === 0 ? undefined : owners.get(socket.inode);
    if (pid !== undefined && !processes.has(pid)) {
      processes.set(pid, await readProcess(system, pid).catch(() => undefined));
    }
  }
  const owned = sockets.map((socket): OwnedSocket => {
    const pid = socket.inode === 0 ? undefined : owners.get(socket.inode);
    const process = pid === undefined ? undefined : processes.get(pid);
    return process === undefined ? { socket } : { socket, process };
  });
  return { sockets: owned, problems, denied };
}

/**
 * Reads all sockets and their owners. Owner lookup failing (no `/proc`, no permission) leaves sockets
 * unowned and adds one error; it never loses the sockets themselves. Collectors running within a
 * second of each other on the same machine share one reading.
 */
export async function readOwnedSockets(
  collectorId: string,
  context: CollectorContext,
  errors: CollectorError[],
): Promise<OwnedSocket[]> {
  const now = context.clock.now();
  let reading = readings.get(context.system);
  if (reading === undefined || Math.abs(now - reading.at) >= SHARE_MS) {
    reading = { at: now, result: readFresh(context) };
    readings.set(context.system, reading);
  }
  const { sockets, problems, denied } = await reading.result;
  for (const p of problems) errors.push(toCollectorError(collectorId, p.error, p.source));
  if (denied > 0) {
    errors.push({
      collectorId,
      code: 'PERMISSION_DENIED',
      message: `could not read the fd table of ${denied} processes; their sockets have no process`,
      source: '/proc/<pid>/fd',
    });
  }
  return sockets;
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
