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

/** Security events. */
export interface SecurityEventRepository {
  /** Records events; ones whose `eventId` is already stored are skipped. Returns how many were new. */
  record(events: readonly StoredSecurityEvent[]): Promise<number>;
  /** A device's events, newest first, optionally by name and time range (`since` inclusive, `until` exclusive). */
  list(
    filter: Page & {
      readonly deviceId: string;
      readonly name?: string;
      readonly since?: Millis;
      readonly until?: Millis;
    },
  ): Promise<StoredSecurityEvent[]>;
}
