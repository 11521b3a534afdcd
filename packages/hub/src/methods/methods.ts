import { buildMethodRequestTopic } from '@vigil/protocol';
import type { IdentityKey } from '@vigil/storage';
import type { DeviceService, SessionIdentity } from '../contract/index.js';
import {
  identityLabel,
  recordOperation,
  ServiceError,
  validationFailed,
  type ServiceContext,
} from '../registry/index.js';
import {
  checkInvocation,
  METHOD_LIMITS,
  parseAnswer,
  type MethodInvocation,
  type MethodResult,
} from './method-invocation.js';

/** Direct methods: invoke from the service side, answers from devices. */
export interface Methods {
  /** Routes `$iothub/methods/res/...` to the waiting invocation and fails invocations on disconnect. */
  readonly service: DeviceService;
  /**
   * Sends the request and waits for the answer. `DEVICE_NOT_ONLINE` when the identity is not
   * connected and subscribed to methods (within the connect timeout) or drops before answering,
   * `GATEWAY_TIMEOUT` when it does not answer in time, `THROTTLED` past the pending bound.
   */
  invoke(identity: IdentityKey, invocation: MethodInvocation): Promise<MethodResult>;
  /** How many invocations are waiting for devices. */
  pending(): number;
  /** Fails every pending invocation (hub shutdown). */
  close(): Promise<void>;
}

/** Options for {@link createMethods}. */
export interface MethodsOptions {
  /** Invocations waiting at once across the hub (default 1000). */
  readonly maxPending?: number;
  /** Waiting per identity (default 50). */
  readonly maxPendingPerIdentity?: number;
  /** Scales every timeout (tests use a small value); default 1000 ms per second. */
  readonly millisPerSecond?: number;
}

interface Pending {
  readonly identity: string;
  readonly resolve: (result: MethodResult) => void;
  readonly reject: (error: ServiceError) => void;
}

/** Builds {@link Methods}; rids are a hex counter, safe for the C SDKs (reference/iothub-mqtt.md §3.4). */
export function createMethods(context: ServiceContext, options: MethodsOptions = {}): Methods {
  const { channel } = context;
  const maxPending = options.maxPending ?? 1000;
  const maxPerIdentity = options.maxPendingPerIdentity ?? 50;
  const msPerSecond = options.millisPerSecond ?? 1000;
  const pending = new Map<string, Pending>();
  const perIdentity = new Map<string, number>();
  const connectWaiters = new Map<string, Set<(online: boolean) => void>>();
  let counter = 0;

  const online = (identity: IdentityKey): boolean =>
    channel.isConnected(identity) && channel.isSubscribed(identity, 'methods');

  /** Resolves true once the identity is online, false after `ms`. */
  const waitOnline = (identity: IdentityKey, ms: number): Promise<boolean> => {
    if (online(identity)) return Promise.resolve(true);
    if (ms <= 0) return Promise.resolve(false);
    const label = identityLabel(identity);
    return new Promise((resolve) => {
      const waiters = connectWaiters.get(label) ?? new Set();
      connectWaiters.set(label, waiters);
      const done = (value: boolean): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) connectWaiters.delete(label);
        resolve(value);
      };
      const wake = (value: boolean): void => done(value);
      const timer = setTimeout(() => done(false), ms);
      waiters.add(wake);
    });
  };

  const adjust = (label: string, delta: number): void => {
    const next = (perIdentity.get(label) ?? 0) + delta;
    if (next <= 0) perIdentity.delete(label);
    else perIdentity.set(label, next);
  };

  const invoke = async (identity: IdentityKey, invocation: MethodInvocation): Promise<MethodResult> => {
    const violations = checkInvocation(invocation);
    const body = Buffer.from(JSON.stringify(invocation.payload ?? null));
    if (violations.length > 0) throw validationFailed(violations);
    if (body.length > METHOD_LIMITS.maxPayloadBytes) {
      throw new ServiceError(
        'PAYLOAD_TOO_LARGE',
        `method payload is ${body.length} bytes; the limit is ${METHOD_LIMITS.maxPayloadBytes}`,
      );
    }
    const label = identityLabel(identity);
    if ((await context.store.identities.get(identity)) === undefined) {
      throw new ServiceError(
        'NOT_FOUND',
        `identity ${label} does not exist (IoT Hub error 404001 DeviceNotFound)`,
      );
    }
    if (pending.size >= maxPending || (perIdentity.get(label) ?? 0) >= maxPerIdentity) {
      throw new ServiceError(
        'THROTTLED',
        `too many method invocations are waiting for ${pending.size >= maxPending ? 'devices' : label}`,
      );
    }
    const connectMs = (invocation.connectTimeoutSeconds ?? 0) * msPerSecond;
    const responseMs =
      (invocation.responseTimeoutSeconds ?? METHOD_LIMITS.defaultResponseTimeoutSeconds) * msPerSecond;
    const rid = (++counter).toString(16);
    adjust(label, 1);
    try {
      if (!(await waitOnline(identity, connectMs))) {
        throw new ServiceError(
          'DEVICE_NOT_ONLINE',
          `device ${label} is not online (IoT Hub error 404103 DeviceNotOnline)`,
        );
      }
      const answer = new Promise<MethodResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(rid);
          reject(
            new ServiceError(
              'GATEWAY_TIMEOUT',
              `device ${label} did not answer ${invocation.methodName} within ${responseMs / msPerSecond} s (IoT Hub error 504101 GatewayTimeout)`,
            ),
          );
        }, responseMs);
        pending.set(rid, {
          identity: label,
          resolve: (result) => {
            clearTimeout(timer);
            resolve(result);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
      });
      const topic = buildMethodRequestTopic({ methodName: invocation.methodName, rid });
      // Method requests are QoS 0 (reference/iothub-mqtt.md §3.4).
      const sent = await channel.deliver(identity, { topic, payload: body, qos: 0 });
      if (!sent) {
        pending
          .get(rid)
          ?.reject(
            new ServiceError(
              'DEVICE_NOT_ONLINE',
              `device ${label} is not online (IoT Hub error 404103 DeviceNotOnline)`,
            ),
          );
        pending.delete(rid);
      }
      return await answer;
    } finally {
      adjust(label, -1);
    }
  };

  const service: DeviceService = {
    handles: ['method-response'],
    handle(identity: SessionIdentity, topic, payload) {
      if (topic.kind !== 'method-response') return Promise.resolve();
      const entry = pending.get(topic.rid);
      // A rid is answered only by the identity it was sent to.
      if (entry === undefined || entry.identity !== identityLabel(identity)) return Promise.resolve();
      pending.delete(topic.rid);
      entry.resolve({ status: topic.status, payload: parseAnswer(payload) });
      return Promise.resolve();
    },
    onSubscribed(identity, filter) {
      if (filter.kind !== 'methods') return;
      for (const wake of [...(connectWaiters.get(identityLabel(identity)) ?? [])]) wake(true);
    },
    onDisconnected(identity) {
      const label = identityLabel(identity);
      for (const [rid, entry] of pending) {
        if (entry.identity !== label) continue;
        pending.delete(rid);
        entry.reject(
          new ServiceError(
            'DEVICE_NOT_ONLINE',
            `device ${label} disconnected before answering (IoT Hub error 404103 DeviceNotOnline)`,
          ),
        );
      }
    },
  };

  return {
    service,
    async invoke(identity, invocation) {
      const started = context.now();
      try {
        const result = await invoke(identity, invocation);
        recordOperation(context, {
          operation: 'methodInvoked',
          outcome: 'success',
          deviceId: identity.deviceId,
          moduleId: identity.moduleId,
          details: {
            methodName: invocation.methodName,
            status: result.status,
            durationMs: context.now() - started,
          },
        });
        return result;
      } catch (error) {
        if (error instanceof ServiceError && error.code !== 'VALIDATION_FAILED') {
          recordOperation(context, {
            operation: 'methodInvoked',
            outcome: 'failure',
            deviceId: identity.deviceId,
            moduleId: identity.moduleId,
            reason: error.code,
            details: { methodName: invocation.methodName, durationMs: context.now() - started },
          });
        }
        throw error;
      }
    },
    pending: () => pending.size,
    close() {
      for (const [rid, entry] of pending) {
        pending.delete(rid);
        entry.reject(new ServiceError('DEVICE_NOT_ONLINE', 'the hub is stopping'));
      }
      for (const waiters of connectWaiters.values()) for (const wake of [...waiters]) wake(false);
      return Promise.resolve();
    },
  };
}
