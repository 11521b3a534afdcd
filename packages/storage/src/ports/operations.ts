import type { JsonObject, Millis, Page } from './common.js';

/** One thing that happened at the hub (connect, auth failure, twin update, certificate added…). */
export interface Operation {
  readonly id: number;
  /** Where it came from (an ingest record id), for idempotent recording; unique when set. */
  readonly sourceId: string | null;
  readonly at: Millis;
  readonly operation: string;
  readonly deviceId: string | null;
  readonly moduleId: string | null;
  readonly sourceAddress: string | null;
  readonly outcome: 'success' | 'failure';
  readonly reason: string | null;
  readonly details: JsonObject;
}

/** An operation as recorded. */
export type NewOperation = Omit<
  Operation,
  'id' | 'sourceId' | 'details' | 'deviceId' | 'moduleId' | 'sourceAddress' | 'reason'
> &
  Partial<Pick<Operation, 'sourceId' | 'details' | 'deviceId' | 'moduleId' | 'sourceAddress' | 'reason'>>;

/** What to select from the operations log. */
export interface OperationFilter {
  readonly deviceId?: string;
  readonly operation?: string;
  readonly outcome?: 'success' | 'failure';
  /** Inclusive lower bound on `at`. */
  readonly since?: Millis;
  /** Exclusive upper bound on `at`. */
  readonly until?: Millis;
}

/** The queryable operations log (fed from the ingest log by its consumers). */
export interface OperationsRepository {
  /** Records operations; ones whose `sourceId` was already recorded are skipped. Returns how many were new. */
  record(operations: readonly NewOperation[]): Promise<number>;
  /** Newest first; `before` pages by id. */
  list(filter?: OperationFilter & Page & { readonly before?: number }): Promise<Operation[]>;
  /** How many match (custom alert windows count operations). */
  count(filter: OperationFilter): Promise<number>;
}
