import type { ConnectionOptions } from 'node:tls';
import type { Alert } from '@vigil/storage';

/**
 * Why an alert is exported: a new alert, a new occurrence counted on an active one, or an analyst
 * closing it (`dismissed`: not a threat; `resolved`: dealt with), so a SIEM can close its copy too.
 */
export type AlertExportEvent = 'created' | 'updated' | 'dismissed' | 'resolved';

/** The events that change an alert's status; each is delivered on its own, never folded away. */
export const LIFECYCLE_EVENTS: ReadonlySet<AlertExportEvent> = new Set(['dismissed', 'resolved']);

/** Retry policy of a destination: exponential backoff with full jitter, capped. */
export interface RetryPolicy {
  /** Attempts per alert, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Delay scale of the first retry (default 500 ms); doubles each attempt. */
  readonly baseDelayMs?: number;
  /** Cap of any single delay, a server's `Retry-After` included (default 30 s). */
  readonly maxDelayMs?: number;
}

/** Settings every destination shares. */
export interface DestinationCommon {
  /**
   * How failures, logs and metrics name the destination (1–64 printable characters). Default
   * `webhook <origin>` (never the URL's path or query: chat and SIEM webhooks carry their token
   * there) or `syslog <transport>://<host>:<port>`; repeated names get ` #2`, ` #3`…
   */
  readonly name?: string;
  /** Alerts waiting beyond this many are dropped and counted (default 1000). */
  readonly maxQueue?: number;
  readonly retry?: RetryPolicy;
  /** A delivery attempt taking longer is abandoned and retried (default 10 s). */
  readonly timeoutMs?: number;
}

/** An HTTP(S) endpoint receiving one JSON document per alert event (see `webhook-payload.ts`). */
export interface WebhookDestination extends DestinationCommon {
  readonly kind: 'webhook';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** When set, `X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the body>` is added. */
  readonly secret?: string;
}

/** A syslog collector receiving RFC 5424 messages with a CEF body. */
export interface SyslogDestination extends DestinationCommon {
  readonly kind: 'syslog';
  readonly host: string;
  readonly port: number;
  /** Default `udp`; `tcp` and `tls` use octet-counting framing (RFC 6587 §3.4.1). */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** A facility name (`local0`…`local7`, `auth`, `authpriv`, …) or code 0–23; default `local0`. */
  readonly facility?: string | number;
  /** RFC 5424 APP-NAME; default `vigil`. */
  readonly appName?: string;
  /** RFC 5424 HOSTNAME; default this machine's host name. */
  readonly hostname?: string;
  /** Options for `tls.connect` (CA, client certificate, servername). */
  readonly tls?: ConnectionOptions;
}

/** Where alerts go. */
export type AlertDestination = WebhookDestination | SyslogDestination;

/** What one delivery attempt came to, in the OpenTelemetry exporter manner: an outcome, not a throw. */
export type SendOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly reason: string;
      readonly retryAfterMs?: number;
    };

/** One alert event on its way to one destination. */
export interface Delivery {
  readonly alert: Alert;
  readonly event: AlertExportEvent;
  /** Stable across retries, so a receiver can drop repeats. */
  readonly deliveryId: string;
}

/** A destination's way of sending; `signal` aborts the attempt (timeout or close). */
export interface Transport {
  readonly name: string;
  send(delivery: Delivery, signal: AbortSignal): Promise<SendOutcome>;
  close(): void;
}

/** Why an alert event did not reach a destination. */
export type ExportFailureReason = 'gave-up' | 'rejected' | 'queue-full' | 'closed';

/** Reported through `onError` for every alert event a destination did not deliver. */
export interface AlertExportFailure {
  /** The destination's name, e.g. `webhook http://siem:8080` or `syslog tcp://siem:6514`. */
  readonly destination: string;
  readonly reason: ExportFailureReason;
  readonly alertId: number;
  readonly typeId: string;
  readonly event: AlertExportEvent;
  /** Attempts made (0 when it never left the queue). */
  readonly attempts: number;
  /** The last attempt's failure, e.g. `HTTP 503` or `timeout after 10000 ms`. */
  readonly detail?: string;
}

/** Counts of one destination since the exporter started. */
export interface DestinationStats {
  readonly destination: string;
  delivered: number;
  /** Attempts after the first (each a backoff). */
  retries: number;
  /** Given up after the last attempt, or refused permanently (4xx other than 408/429). */
  failed: number;
  /** Dropped because the queue was full or the exporter closed. */
  dropped: number;
  /** Waiting now (the one in flight excluded). */
  queued: number;
  /** Events folded into a waiting event of the same alert (which then carries the newer snapshot). */
  coalesced: number;
}
