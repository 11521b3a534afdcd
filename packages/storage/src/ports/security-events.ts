import type { JsonObject, Millis, Page } from './common.js';

/** A decoded security event as analytics keeps it. */
export interface StoredSecurityEvent {
  /** The event's own id (unique): recording is idempotent by it. */
  readonly eventId: string;
  readonly deviceId: string;
  readonly moduleId: string | null;
  readonly name: string;
  readonly category: string;
  readonly eventType: string;
  /** When the device says it happened. */
  readonly at: Millis;
  /** When the hub received it; retention goes by this. */
  readonly receivedAt: Millis;
  readonly payload: JsonObject;
  readonly ingestId: string | null;
}

/** What to select a device's events by (`since` inclusive, `until` exclusive). */
export interface SecurityEventFilter {
  readonly deviceId: string;
  readonly name?: string;
  readonly since?: Millis;
  readonly until?: Millis;
}

/** Orders of an event list, newest first: by the device's time or by the hub's receipt. */
export type SecurityEventSort = 'at' | 'received';

/** Security events. */
export interface SecurityEventRepository {
  /** Records events; ones whose `eventId` is already stored are skipped. Returns how many were new. */
  record(events: readonly StoredSecurityEvent[]): Promise<number>;
  /** A device's events, newest first, optionally by name and time range (`since` inclusive, `until` exclusive). */
  list(
    filter: SecurityEventFilter & Page & { readonly sort?: SecurityEventSort; readonly offset?: number },
  ): Promise<StoredSecurityEvent[]>;
  /** How many of a device's events match (paging totals). */
  count(filter: SecurityEventFilter): Promise<number>;
}
