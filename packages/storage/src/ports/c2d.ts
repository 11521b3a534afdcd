import type { Millis, Page } from './common.js';

/** Where a cloud-to-device message is in its life. */
export type C2dState = 'queued' | 'delivered' | 'expired' | 'rejected' | 'purged';

/** A cloud-to-device message. */
export interface C2dMessage {
  readonly id: string;
  readonly deviceId: string;
  readonly messageId: string | null;
  readonly body: Buffer;
  readonly properties: Readonly<Record<string, string>>;
  readonly state: C2dState;
  readonly deliveryCount: number;
  readonly enqueuedAt: Millis;
  readonly expiresAt: Millis;
  readonly updatedAt: Millis;
}

/** What a sender supplies. */
export interface NewC2dMessage {
  readonly deviceId: string;
  readonly messageId?: string | null;
  readonly body: Buffer;
  readonly properties?: Readonly<Record<string, string>>;
}

/** Queue bounds (IoT Hub's defaults: 50 messages, one hour, 48 hours at most). */
export interface C2dQueueOptions {
  readonly maxDepth?: number;
  readonly ttlMs?: number;
  readonly now?: Millis;
}

/** Per-device cloud-to-device queues. */
export interface C2dRepository {
  /** Queues a message; `QUEUE_FULL` at max depth, `LIMIT_EXCEEDED` for an oversized body. */
  enqueue(message: NewC2dMessage, options?: C2dQueueOptions): Promise<C2dMessage>;
  /** The oldest queued, unexpired messages for delivery (expired ones are marked `expired` first). */
  pending(deviceId: string, options?: Page & { readonly now?: Millis }): Promise<C2dMessage[]>;
  /** Moves a queued message to `delivered` or `rejected`; false when it was not queued. */
  settle(id: string, outcome: 'delivered' | 'rejected', now?: Millis): Promise<boolean>;
  /** Counts a delivery attempt (the message stays queued until settled). */
  recordAttempt(id: string, now?: Millis): Promise<void>;
  /** Marks every queued message of a device `purged`; returns how many. */
  purge(deviceId: string, now?: Millis): Promise<number>;
  /** Marks queued messages past their expiry `expired` across all devices; returns how many. */
  expire(now?: Millis): Promise<number>;
  get(id: string): Promise<C2dMessage | undefined>;
  /** A device's messages, newest first, optionally in given states. */
  list(deviceId: string, options?: Page & { readonly states?: readonly C2dState[] }): Promise<C2dMessage[]>;
}
