import { buildC2dTopic } from '@vigil/protocol';
import { C2D_DEFAULTS, type C2dMessage, type C2dState } from '@vigil/storage';
import type { DeviceService } from '../contract/index.js';
import {
  recordOperation,
  ServiceError,
  toServiceError,
  validationFailed,
  type ServiceContext,
  type ServiceViolation,
} from '../registry/index.js';
import { deliveryBag, storedC2dProperties, type SettableC2dProperty } from './c2d-properties.js';

/** A message to send: the body plus IoT Hub's settable system properties and application properties. */
export type C2dSendInput = Partial<Record<SettableC2dProperty, string>> & {
  readonly body: Buffer;
  readonly properties?: Readonly<Record<string, string>>;
  /** Time to live; the queue's default (one hour) when absent, at most 48 hours. */
  readonly ttlSeconds?: number;
};

/** IoT Hub's purge answer (reference/iothub-mqtt.md §5.2, DOC-REST). */
export interface C2dPurgeResult {
  readonly deviceId: string;
  readonly moduleId: null;
  readonly totalMessagesPurged: number;
}

/** Cloud-to-device messaging. */
export interface C2d {
  /** Delivers what is queued when a device subscribes to its C2D topic. */
  readonly service: DeviceService;
  /** Queues a message and delivers it at once when the device is connected and subscribed. */
  send(deviceId: string, input: C2dSendInput): Promise<C2dMessage>;
  /** A device's messages, newest first. */
  list(
    deviceId: string,
    options?: { readonly states?: readonly C2dState[]; readonly limit?: number },
  ): Promise<C2dMessage[]>;
  /** Drops every queued message of a device. */
  purge(deviceId: string): Promise<C2dPurgeResult>;
  /** Marks queued messages past their TTL expired; returns how many (run on a timer too). */
  sweep(): Promise<number>;
  /** Resolves once in-flight deliveries finished; stops the sweep timer. */
  close(): Promise<void>;
}

/** Queue bounds and timers for {@link createC2d}. */
export interface C2dOptions {
  /** Default 50 (IoT Hub's). */
  readonly maxDepth?: number;
  /** Default one hour. */
  readonly defaultTtlMs?: number;
  /** Attempts before a message is rejected (IoT Hub's maxDeliveryCount default is 10). */
  readonly maxDeliveryCount?: number;
  /** Expiry sweep period; 0 turns the timer off. Default one minute. */
  readonly sweepIntervalMs?: number;
}

const DELIVERY_BATCH = 10;

/** Builds {@link C2d} over `store.c2d`: one delivery in flight per device, settled by the device's PUBACK. */
export function createC2d(context: ServiceContext, options: C2dOptions = {}): C2d {
  const { store, channel } = context;
  const maxDepth = options.maxDepth ?? C2D_DEFAULTS.maxDepth;
  const defaultTtlMs = options.defaultTtlMs ?? C2D_DEFAULTS.ttlMs;
  const maxDeliveryCount = options.maxDeliveryCount ?? 10;
  const draining = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let closed = false;

  const record = (
    operation: 'c2dSent' | 'c2dDelivered' | 'c2dRejected' | 'c2dExpired' | 'c2dPurged',
    deviceId: string | null,
    details: Record<string, string | number | null>,
    failure?: string,
  ): void =>
    recordOperation(context, {
      operation,
      outcome: failure === undefined ? 'success' : 'failure',
      deviceId,
      moduleId: null,
      ...(failure === undefined ? {} : { reason: failure }),
      details,
    });

  const ready = (deviceId: string): boolean => {
    const identity = { deviceId, moduleId: null };
    return !closed && channel.isConnected(identity) && channel.isSubscribed(identity, 'c2d');
  };

  const drain = async (deviceId: string): Promise<void> => {
    const identity = { deviceId, moduleId: null };
    while (ready(deviceId)) {
      const batch = await store.c2d.pending(deviceId, { limit: DELIVERY_BATCH, now: context.now() });
      if (batch.length === 0) return;
      for (const message of batch) {
        if (message.deliveryCount >= maxDeliveryCount) {
          if (await store.c2d.settle(message.id, 'rejected', context.now())) {
            record(
              'c2dRejected',
              deviceId,
              { id: message.id, messageId: message.messageId },
              'maxDeliveryCountExceeded',
            );
          }
          continue;
        }
        await store.c2d.recordAttempt(message.id, context.now());
        const topic = buildC2dTopic({ deviceId, properties: deliveryBag(message) });
        // QoS 1: resolves true once the device's PUBACK arrived, which completes the message (§3.2).
        const acknowledged = await channel.deliver(identity, { topic, payload: message.body, qos: 1 });
        if (!acknowledged) return;
        if (await store.c2d.settle(message.id, 'delivered', context.now())) {
          record('c2dDelivered', deviceId, { id: message.id, messageId: message.messageId });
        }
      }
    }
  };

  const kick = (deviceId: string): void => {
    if (!ready(deviceId)) return;
    if (draining.has(deviceId)) {
      again.add(deviceId);
      return;
    }
    const run = drain(deviceId)
      .catch(() => undefined)
      .finally(() => {
        draining.delete(deviceId);
        if (again.delete(deviceId)) kick(deviceId);
      });
    draining.set(deviceId, run);
  };

  const requireDevice = async (deviceId: string): Promise<void> => {
    const identity = await store.identities.get({ deviceId, moduleId: null });
    if (identity === undefined) throw new ServiceError('NOT_FOUND', `device ${deviceId} does not exist`);
  };

  const sweep = async (): Promise<number> => {
    const count = await store.c2d.expire(context.now());
    if (count > 0) record('c2dExpired', null, { count });
    return count;
  };

  const timer =
    (options.sweepIntervalMs ?? 60_000) > 0
      ? setInterval(() => void sweep().catch(() => undefined), options.sweepIntervalMs ?? 60_000)
      : undefined;
  timer?.unref();

  return {
    service: {
      handles: [],
      // C2D has no device requests: MQTT cannot reject or abandon (reference/iothub-mqtt.md §3.2).
      handle: () => Promise.resolve(),
      onSubscribed(identity, filter) {
        if (identity.moduleId !== null || (filter.kind !== 'c2d' && filter.kind !== 'c2d-any-device')) return;
        kick(identity.deviceId);
      },
    },
    async send(deviceId, input) {
      await requireDevice(deviceId);
      const violations: ServiceViolation[] = [];
      const { body, properties, ttlSeconds, ...system } = input;
      const stored = storedC2dProperties(system, properties ?? {}, violations);
      if (input.messageId !== undefined && (input.messageId.length === 0 || input.messageId.length > 128)) {
        violations.push({ path: 'messageId', message: 'must be 1–128 characters' });
      }
      if (ttlSeconds !== undefined && !(ttlSeconds > 0 && ttlSeconds * 1000 <= C2D_DEFAULTS.maxTtlMs)) {
        violations.push({ path: 'ttlSeconds', message: `must be from 1 to ${C2D_DEFAULTS.maxTtlMs / 1000}` });
      }
      if (violations.length > 0) throw validationFailed(violations);
      let message: C2dMessage;
      try {
        message = await store.c2d.enqueue(
          { deviceId, messageId: input.messageId ?? null, body, properties: stored },
          {
            maxDepth,
            ttlMs: ttlSeconds === undefined ? defaultTtlMs : ttlSeconds * 1000,
            now: context.now(),
          },
        );
      } catch (error) {
        const mapped = toServiceError(error);
        const reason =
          mapped.code === 'QUEUE_FULL'
            ? 'queueFull'
            : mapped.code === 'PAYLOAD_TOO_LARGE'
              ? 'messageTooLarge'
              : 'storeFailed';
        record(
          'c2dRejected',
          deviceId,
          { messageId: input.messageId ?? null, bytes: body.length, message: mapped.message },
          reason,
        );
        if (mapped.code === 'QUEUE_FULL') {
          throw new ServiceError(
            'QUEUE_FULL',
            `device ${deviceId} already has ${maxDepth} queued messages (IoT Hub error 403004 DeviceMaximumQueueDepthExceeded)`,
          );
        }
        throw mapped;
      }
      record('c2dSent', deviceId, { id: message.id, messageId: message.messageId, bytes: body.length });
      kick(deviceId);
      return message;
    },
    async list(deviceId, listOptions = {}) {
      await requireDevice(deviceId);
      return store.c2d.list(deviceId, {
        limit: listOptions.limit ?? 100,
        ...(listOptions.states === undefined ? {} : { states: listOptions.states }),
      });
    },
    async purge(deviceId) {
      await requireDevice(deviceId);
      const totalMessagesPurged = await store.c2d.purge(deviceId, context.now());
      record('c2dPurged', deviceId, { count: totalMessagesPurged });
      return { deviceId, moduleId: null, totalMessagesPurged };
    },
    sweep,
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      await Promise.all([...draining.values()]);
    },
  };
}
