/** The hub's operations log (`/api/hub/operations`): who changed or did what, newest first. */
import type { Json } from './hub-types.js';
import { HUB, queryString, type Requester } from './request.js';

/** One entry of the operations log. */
export interface OperationView {
  readonly id: number;
  /** ISO-8601. */
  readonly time: string;
  /** `connect`, `identityCreated`, `c2dSent`, `ipFilterChanged`, … (the hub's `HUB_OPERATIONS`). */
  readonly operation: string;
  readonly outcome: 'success' | 'failure';
  readonly deviceId: string | null;
  readonly moduleId: string | null;
  /** The caller's address for service API calls, the device's for device operations. */
  readonly sourceAddress: string | null;
  readonly reason: string | null;
  readonly details: { readonly [key: string]: Json };
}

/** What to list operations by; times are ISO-8601 or epoch milliseconds. */
export interface OperationQuery {
  readonly deviceId?: string;
  readonly operation?: string;
  readonly outcome?: 'success' | 'failure';
  /** Inclusive. */
  readonly since?: string | number;
  /** Exclusive. */
  readonly until?: string | number;
  /** 1–1000, 100 by default. */
  readonly limit?: number;
  /** The `next` of the previous page. */
  readonly before?: number;
}

/** A page of operations; `next` is the `before` of the following page, null at the end. */
export interface OperationPage {
  readonly items: readonly OperationView[];
  readonly next: number | null;
}

/** Queries the operations log. */
export class OperationsApi {
  readonly #request: Requester;

  constructor(request: Requester) {
    this.#request = request;
  }

  /** A page of operations, newest first; every bad filter is listed in `VALIDATION_FAILED`. */
  list(query: OperationQuery = {}): Promise<OperationPage> {
    return this.#request('GET', `${HUB}/operations${queryString({ ...query })}`);
  }
}
