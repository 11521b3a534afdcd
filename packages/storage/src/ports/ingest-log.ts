import type { Millis } from './common.js';

/** What an ingest record carries: a device message or a hub operation. */
export type IngestKind = 'd2c' | 'operation';

/**
 * A record's id: an opaque string, increasing in append order within one log. Consumers use it as
 * the idempotency key. (Strings so a Redis Streams log can use its `ms-seq` ids unchanged.)
 */
export type IngestId = string;

/** A record as appended. */
export interface IngestRecordInput {
  readonly kind: IngestKind;
  readonly deviceId: string;
  readonly moduleId?: string | null;
  readonly receivedAt: Millis;
  /** Application and system properties (the MQTT property bag), bounded in size. */
  readonly properties?: Readonly<Record<string, string>>;
  /** The message body, bounded in size. */
  readonly body: Uint8Array;
}

/** A record as read back. */
export interface IngestRecord extends Required<Omit<IngestRecordInput, 'body'>> {
  readonly id: IngestId;
  readonly moduleId: string | null;
  readonly body: Buffer;
}

/** Where a consumer group stands. */
export interface ConsumerCursor {
  readonly group: string;
  /** The last committed id; records after it are still to be processed. Null before the first commit. */
  readonly position: IngestId | null;
  readonly consumer: string | null;
}

/**
 * The durable, append-only ingest log with consumer-group cursors (at-least-once delivery).
 *
 * The interface follows what Redis Streams offers (XADD, XREADGROUP/XRANGE, a stored position per
 * group) so a Redis implementation can stand in at scale.
 */
export interface IngestLog {
  /**
   * Appends records and resolves with their ids once they are durable (committed and synced).
   * Concurrent appends are group-committed. `LIMIT_EXCEEDED` for oversized records or batches,
   * `OVERLOADED` when too many records already wait; in both cases nothing of the batch is written.
   */
  append(batch: readonly IngestRecordInput[]): Promise<IngestId[]>;
  /**
   * Records after the group's committed position (or after `after` when given), oldest first, at
   * most `limit`. Reading does not move the position: uncommitted records are delivered again.
   */
  read(options: {
    readonly group: string;
    readonly consumer: string;
    readonly limit?: number;
    readonly after?: IngestId | null;
  }): Promise<IngestRecord[]>;
  /** Moves the group's position forward to `id` (never backwards: an older id is ignored). */
  commit(options: {
    readonly group: string;
    readonly consumer: string;
    readonly id: IngestId;
  }): Promise<void>;
  cursor(group: string): Promise<ConsumerCursor>;
  /** The id of the newest record, or null when the log is empty. */
  head(): Promise<IngestId | null>;
  /** What this process appended since open: records, and the transactions (groups) that carried them. */
  stats(): { readonly records: number; readonly groups: number };
  /** Calls `listener` after each durable append in this process (a wake-up; read to get the records). */
  onAppend(listener: () => void): () => void;
}

/**
 * The consumer side of the log (reads and cursor commits), as a unit of work sees it: a cursor
 * committed there moves only if the unit's transaction commits (see `Store.transaction`).
 */
export type IngestCursors = Pick<IngestLog, 'read' | 'commit' | 'cursor' | 'head'>;
