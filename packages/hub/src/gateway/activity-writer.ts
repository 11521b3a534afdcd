/**
 * Connection state and last activity, written to the registry in batches. They are advisory (IoT
 * Hub documents `connectionState` as for development and debugging only), so a group of connects
 * shares one transaction instead of paying one commit — one fsync — each: with one autocommit
 * UPDATE per CONNECT the hub could not accept connects faster than the disk syncs. The operations
 * log (`connect`/`disconnect`) stays the durable record of who connected when.
 */
import type { ActivityUpdate, ConnectionState, IdentityRepository } from '@vigil/storage';
import type { SessionIdentity } from '../contract/index.js';
import { identityKeyOf } from '../auth/index.js';

/** What is waiting to be written for one identity (also what the API shows before the write). */
export interface PendingActivity {
  readonly lastActivityAt: number;
  readonly connectionState?: ConnectionState;
  readonly connectionStateAt?: number;
}

/** Coalesces activity per identity and writes it in batches. */
export interface ActivityWriter {
  /** Notes activity (and a connection state change); never waits, never throws. */
  record(identity: SessionIdentity, at: number, connectionState?: ConnectionState): void;
  /** What is noted for the identity but not yet written, if anything. */
  pending(identity: SessionIdentity): PendingActivity | undefined;
  /** Writes everything noted so far; resolves once it is committed (or the write failed and was reported). */
  flush(): Promise<void>;
  /** Stops the timer after a final flush. */
  close(): Promise<void>;
}

/** Tuning of {@link createActivityWriter}. */
export interface ActivityWriterOptions {
  readonly identities: Pick<IdentityRepository, 'recordActivities'>;
  /** Longest an update waits before it is written. */
  readonly flushMs: number;
  /** A batch this large is written at once, without waiting for the timer. */
  readonly batchSize: number;
  /** Identities that may wait at once; beyond it new identities' updates are dropped (and reported). */
  readonly maxPending: number;
  readonly warn: (message: string, error?: unknown) => void;
}

interface Entry extends PendingActivity {
  readonly identity: SessionIdentity;
}

/** Builds the writer; one per gateway. */
export function createActivityWriter(options: ActivityWriterOptions): ActivityWriter {
  let waiting = new Map<string, Entry>();
  /** Written but not committed yet: still what the API shows, since the store does not have it. */
  let writing = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let dropped = 0;
  let closed = false;

  const schedule = (): void => {
    if (timer !== undefined || inFlight !== undefined || closed) return;
    timer = setTimeout(() => void flush(), options.flushMs);
    timer.unref();
  };

  async function writeOnce(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (waiting.size === 0) return;
    writing = waiting;
    waiting = new Map();
    const batch: ActivityUpdate[] = [];
    for (const entry of writing.values()) {
      batch.push({
        deviceId: entry.identity.deviceId,
        moduleId: entry.identity.moduleId,
        lastActivityAt: entry.lastActivityAt,
        ...(entry.connectionState === undefined
          ? {}
          : { connectionState: entry.connectionState, connectionStateAt: entry.connectionStateAt ?? 0 }),
      });
    }
    try {
      await options.identities.recordActivities(batch);
    } catch (error) {
      options.warn(`cannot record connection state of ${batch.length} identities`, error);
    } finally {
      writing = new Map();
    }
    if (dropped > 0) {
      options.warn(`dropped connection state updates of ${dropped} identities (buffer full)`);
      dropped = 0;
    }
  }

  /** One write at a time, in order: a later batch never lands before an earlier one. */
  function flush(): Promise<void> {
    if (inFlight !== undefined) return inFlight.then(flush);
    const run = writeOnce().finally(() => {
      inFlight = undefined;
      if (waiting.size >= options.batchSize) void flush();
      else if (waiting.size > 0) schedule();
    });
    inFlight = run;
    return run;
  }

  return {
    record(identity, at, connectionState) {
      const key = identityKeyOf(identity);
      const previous = waiting.get(key);
      if (previous === undefined && waiting.size >= options.maxPending) {
        dropped++;
        return;
      }
      const changed = connectionState !== undefined;
      waiting.set(key, {
        identity,
        lastActivityAt: Math.max(at, previous?.lastActivityAt ?? at),
        ...(changed
          ? { connectionState, connectionStateAt: at }
          : previous?.connectionState === undefined
            ? {}
            : {
                connectionState: previous.connectionState,
                connectionStateAt: previous.connectionStateAt ?? at,
              }),
      });
      if (waiting.size >= options.batchSize && inFlight === undefined) void flush();
      else schedule();
    },
    pending(identity) {
      const key = identityKeyOf(identity);
      const newer = waiting.get(key);
      const older = writing.get(key);
      if (newer === undefined || older === undefined) return newer ?? older;
      return newer.connectionState === undefined && older.connectionState !== undefined
        ? {
            ...newer,
            connectionState: older.connectionState,
            connectionStateAt: older.connectionStateAt ?? 0,
          }
        : newer;
    },
    flush,
    async close() {
      await flush();
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
