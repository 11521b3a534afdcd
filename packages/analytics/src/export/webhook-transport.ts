import { createHmac } from 'node:crypto';
import { parseRetryAfter } from './backoff.js';
import type { Delivery, SendOutcome, Transport, WebhookDestination } from './types.js';
import { webhookPayload } from './webhook-payload.js';

/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body>` when a secret is configured. */
export const SIGNATURE_HEADER = 'X-Vigil-Signature';
/** The header carrying the delivery id, identical across retries of one alert event. */
export const DELIVERY_HEADER = 'X-Vigil-Delivery';

/** Computes the signature header value a receiver recomputes over the raw body it read. */
export function signBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Statuses worth retrying: timeouts, throttling and server errors; other refusals are permanent. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** A human-readable abort reason: the queue aborts with an `Error` naming the timeout or the close. */
function abortReason(signal: AbortSignal, error: unknown): string {
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason.message : 'aborted';
  return error instanceof Error
    ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
    : String(error);
}

/** Creates the transport POSTing one JSON document per alert event to a webhook. */
export function createWebhookTransport(destination: WebhookDestination, now: () => number): Transport {
  const url = new URL(destination.url);
  return {
    // The origin only: a webhook's path or query often is its credential, and names reach logs.
    name: `webhook ${url.origin}`,
    async send(delivery: Delivery, signal: AbortSignal): Promise<SendOutcome> {
      const body = JSON.stringify(webhookPayload(delivery.alert, delivery.event, delivery.deliveryId, now()));
      const headers: Record<string, string> = {
        ...destination.headers,
        'content-type': 'application/json',
        'user-agent': 'vigil-alert-exporter',
        [DELIVERY_HEADER]: delivery.deliveryId,
      };
      if (destination.secret !== undefined) headers[SIGNATURE_HEADER] = signBody(body, destination.secret);
      try {
        // A redirect would turn the POST into a GET on another URL: treat it as a refusal instead.
        const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
        // Drain the body so the keep-alive connection is reusable.
        await response.arrayBuffer().catch(() => undefined);
        if (response.status >= 200 && response.status < 300) return { ok: true };
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
        return {
          ok: false,
          retryable: retryableStatus(response.status),
          reason: `HTTP ${response.status}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      } catch (error) {
        return { ok: false, retryable: true, reason: abortReason(signal, error) };
      }
    },
    close() {},
  };
}
