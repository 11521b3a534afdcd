import { StorageError } from '../errors/index.js';
import { LIMITS } from '../limits.js';
import type { PreparedRecord } from './records.js';

/** Writes one group in one transaction and returns the first id; the group's ids are consecutive. */
export type GroupWriter = (records: readonly PreparedRecord[]) => Promise<number>;

interface Waiting {
  readonly records: readonly PreparedRecord[];
  readonly resolve: (ids: string[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Bounds for {@link GroupCommitter}. */
export interface GroupCommitOptions {
  readonly maxGroupRecords?: number;
  readonly maxQueuedRecords?: number;
  /** Called after each durable group (in-process wake-up for consumers). */
  readonly onCommitted?: () => void;
}

/**
 * Group commit: appends that arrive while a commit is in flight (or in the same event-loop turn)
 * wait together and go into the next transaction, so one fsync covers many appends. Each append
 * resolves only after the transaction holding its records has committed.
 */
export class GroupCommitter {
  readonly #write: GroupWriter;
  readonly #maxGroup: number;
  readonly #maxQueued: number;
  readonly #onCommitted: () => void;
  readonly #queue: Waiting[] = [];
  #queuedRecords = 0;
  #busy = false;
  #idle: Array<() => void> = [];
  #closed = false;
  #records = 0;
  #groups = 0;

  constructor(write: GroupWriter, options: GroupCommitOptions = {}) {
    this.#write = write;
    this.#maxGroup = options.maxGroupRecords ?? LIMITS.maxGroupRecords;
    this.#maxQueued = options.maxQueuedRecords ?? LIMITS.maxQueuedRecords;
    this.#onCommitted = options.onCommitted ?? (() => undefined);
  }

  /** Queues records for the next group; resolves with their ids once durable. */
  append(records: readonly PreparedRecord[]): Promise<string[]> {
    if (this.#closed) return Promise.reject(new StorageError('CLOSED', 'the store is closed'));
    if (records.length === 0) return Promise.resolve([]);
    if (this.#queuedRecords + records.length > this.#maxQueued) {
      return Promise.reject(
        new StorageError(
          'OVERLOADED',
          `${this.#queuedRecords} records already wait for the ingest log; retry later`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ records, resolve, reject });
      this.#queuedRecords += records.length;
      this.#schedule();
    });
  }

  /** Records and groups committed so far. */
  stats(): { records: number; groups: number } {
    return { records: this.#records, groups: this.#groups };
  }

  /** Refuses new appends and resolves once everything queued has been committed (or failed). */
  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#busy && this.#queue.length === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    // setImmediate, not a microtask: appenders woken by the previous commit re-append first, so they share the next group.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    const group: Waiting[] = [];
    let count = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0];
      if (!next || (count > 0 && count + next.records.length > this.#maxGroup)) break;
      group.push(next);
      count += next.records.length;
      this.#queue.shift();
    }
    this.#queuedRecords -= count;
    try {
      const first = await this.#write(group.flatMap((waiting) => waiting.records));
      let id = first;
      for (const waiting of group) waiting.resolve(waiting.records.map(() => String(id++)));
      this.#records += count;
      this.#groups += 1;
      this.#onCommitted();
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
    if (this.#queue.length > 0) {
      setImmediate(() => void this.#flush());
      return;
    }
    this.#busy = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
