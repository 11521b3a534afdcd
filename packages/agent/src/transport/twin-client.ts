/**
 * The device side of the twin over MQTT (reference/iothub-mqtt.md §3.3): GET and reported PATCH as
 * requests with a `$rid` (a decimal counter, which every hub echoes and C hubs can parse), answers
 * on `$iothub/twin/res/{status}/?$rid=…`, and desired-property pushes on
 * `$iothub/twin/PATCH/properties/desired/?$version=…`. Requests time out; error answers carry the
 * hub's `{errorCode, message}` body (§0 item 1).
 */
import {
  buildReportedPatchTopic,
  buildTwinGetTopic,
  parseHubTopic,
  TWIN_DESIRED_FILTER,
  TWIN_RESPONSES_FILTER,
} from '@vigil/protocol';
import type { Clock } from '../core/index.js';

/** A JSON object as the twin carries it. */
export type TwinObject = { readonly [key: string]: unknown };

/** The twin as a device reads it: desired and reported, each with `$version`. */
export interface TwinDocument {
  readonly desired: TwinObject;
  readonly reported: TwinObject;
}

/** A twin request the hub refused or did not answer. */
export class TwinRequestError extends Error {
  /** The hub's status; 0 when the request timed out or the connection failed. */
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'TwinRequestError';
    this.status = status;
  }
}

/** What the twin client needs from the connection. */
export interface TwinChannel {
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>;
}

/** The twin client. */
export interface TwinClient {
  /** The filters to subscribe to on every connection. */
  readonly subscriptions: readonly string[];
  /** Fetches the twin (status 200). */
  get(): Promise<TwinDocument>;
  /** Patches reported properties (status 204); resolves with the new reported `$version` when given. */
  patchReported(patch: TwinObject): Promise<number | undefined>;
  /** Desired-property pushes: the patch and its version. */
  onDesired(listener: (patch: TwinObject, version: number | undefined) => void): () => void;
  /** Feeds a received message; true when it was a twin topic. */
  handleMessage(topic: string, payload: Buffer): boolean;
  /** Fails every request in flight (the connection closed). */
  failAll(reason: string): void;
}

interface Waiting {
  readonly resolve: (answer: { status: number; body: string; version?: number }) => void;
  readonly reject: (error: Error) => void;
}

function parseObject(text: string): TwinObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as TwinObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Creates a twin client over `channel`. */
export function createTwinClient(options: {
  readonly channel: TwinChannel;
  readonly clock: Clock;
  readonly requestTimeoutMs?: number;
}): TwinClient {
  const { channel, clock } = options;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const waiting = new Map<string, Waiting>();
  const desiredListeners = new Set<(patch: TwinObject, version: number | undefined) => void>();
  let nextRid = 1;

  async function request(topicOf: (rid: string) => string, body: string) {
    const rid = String(nextRid);
    nextRid = nextRid >= 65_535 ? 1 : nextRid + 1; // the C SDK reads rids as uint16 (§3.3)
    const answer = new Promise<{ status: number; body: string; version?: number }>((resolve, reject) => {
      const timer = clock.setTimer(() => {
        waiting.delete(rid);
        reject(new TwinRequestError('the hub did not answer the twin request in time', 0));
      }, timeoutMs);
      waiting.set(rid, {
        resolve: (a) => {
          timer.cancel();
          resolve(a);
        },
        reject: (e) => {
          timer.cancel();
          reject(e);
        },
      });
    });
    try {
      await channel.publish(topicOf(rid), body, 0);
    } catch (error) {
      waiting
        .get(rid)
        ?.reject(new TwinRequestError(error instanceof Error ? error.message : String(error), 0));
      waiting.delete(rid);
    }
    const result = await answer;
    if (result.status >= 300) {
      const parsed = parseObject(result.body);
      const message = typeof parsed?.message === 'string' ? parsed.message : result.body;
      throw new TwinRequestError(
        `twin request refused with status ${result.status}: ${message}`,
        result.status,
      );
    }
    return result;
  }

  return {
    subscriptions: [TWIN_RESPONSES_FILTER, TWIN_DESIRED_FILTER],
    async get() {
      // Node sends one space as the GET body; hubs ignore it (§3.3).
      const answer = await request(buildTwinGetTopic, ' ');
      const body = parseObject(answer.body);
      return {
        desired: (body?.desired as TwinObject | undefined) ?? {},
        reported: (body?.reported as TwinObject | undefined) ?? {},
      };
    },
    async patchReported(patch) {
      const answer = await request(buildReportedPatchTopic, JSON.stringify(patch));
      return answer.version;
    },
    onDesired(listener) {
      desiredListeners.add(listener);
      return () => desiredListeners.delete(listener);
    },
    handleMessage(topic, payload) {
      if (!topic.startsWith('$iothub/twin/')) return false;
      let parsed;
      try {
        parsed = parseHubTopic(topic);
      } catch {
        return true;
      }
      if (parsed.kind === 'twin-response') {
        const entry = waiting.get(parsed.rid);
        waiting.delete(parsed.rid);
        entry?.resolve({
          status: parsed.status,
          body: payload.toString('utf8'),
          ...(parsed.version === undefined ? {} : { version: parsed.version }),
        });
      } else if (parsed.kind === 'twin-desired') {
        const patch = parseObject(payload.toString('utf8'));
        if (patch === undefined) return true;
        const version = parsed.version ?? (typeof patch.$version === 'number' ? patch.$version : undefined);
        for (const listener of desiredListeners) listener(patch, version);
      }
      return true;
    },
    failAll(reason) {
      for (const entry of waiting.values()) entry.reject(new TwinRequestError(reason, 0));
      waiting.clear();
    },
  };
}
