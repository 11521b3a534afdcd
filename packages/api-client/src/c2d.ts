/**
 * Cloud-to-device messages over the hub's service API (`/api/hub/devices/{id}/messages`,
 * reference/iothub-mqtt.md §3.2, §5.2).
 */
import { HUB, queryString, type Requester } from './request.js';

/** Where a C2D message is in its life. */
export type C2dState = 'queued' | 'delivered' | 'expired' | 'rejected' | 'purged';

/** What the device should acknowledge (IoT Hub's `iothub-ack`). */
export type C2dAck = 'none' | 'positive' | 'negative' | 'full';

/** A C2D message as the API shows it: body as base64, times as ISO-8601. */
export interface C2dMessageView {
  /** The hub's own id of the message. */
  readonly id: string;
  readonly deviceId: string;
  /** The sender's message id, null when none was given. */
  readonly messageId: string | null;
  readonly state: C2dState;
  readonly deliveryCount: number;
  readonly enqueuedTime: string;
  readonly expiryTime: string;
  readonly updatedTime: string;
  readonly properties: { readonly [key: string]: string };
  /** Base64. */
  readonly body: string;
}

/** A message to queue for a device. */
export interface C2dSendInput {
  /** The body as text, or base64 with `bodyEncoding: 'base64'` (64 KiB at most once decoded). */
  readonly body: string;
  readonly bodyEncoding?: 'utf8' | 'base64';
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly userId?: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly ack?: C2dAck;
  /** Application properties, sent in the topic's property bag. */
  readonly properties?: { readonly [key: string]: string };
  /** 1 s to 48 h; the hub's default otherwise. */
  readonly ttlSeconds?: number;
}

/** What a purge removed. */
export interface C2dPurgeResult {
  readonly deviceId: string;
  readonly moduleId: null;
  readonly totalMessagesPurged: number;
}

/** A device's C2D queue. */
export class C2dApi {
  readonly #request: Requester;

  constructor(request: Requester) {
    this.#request = request;
  }

  /** Queues a message (`QUEUE_FULL` at the queue depth, `NOT_FOUND` for an unknown device). */
  send(deviceId: string, input: C2dSendInput): Promise<C2dMessageView> {
    return this.#request('POST', `${HUB}/devices/${encodeURIComponent(deviceId)}/messages`, input);
  }

  /** The device's messages, newest first, optionally in one state only. */
  list(
    deviceId: string,
    query: { readonly state?: C2dState; readonly limit?: number } = {},
  ): Promise<{ readonly items: readonly C2dMessageView[] }> {
    return this.#request(
      'GET',
      `${HUB}/devices/${encodeURIComponent(deviceId)}/messages${queryString({ ...query })}`,
    );
  }

  /** Purges every queued message of the device (IoT Hub's `DELETE /devices/{id}/commands`). */
  purge(deviceId: string): Promise<C2dPurgeResult> {
    return this.#request('DELETE', `${HUB}/devices/${encodeURIComponent(deviceId)}/commands`);
  }
}
