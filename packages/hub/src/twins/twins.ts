import { buildDesiredPatchTopic } from '@vigil/protocol';
import type { IdentityKey, JsonObject, Twin } from '@vigil/storage';
import type { DeviceService } from '../contract/index.js';
import {
  identityLabel,
  recordOperation,
  ServiceError,
  toServiceError,
  validationFailed,
  type ServiceContext,
  type ServiceViolation,
} from '../registry/index.js';
import { createTwinDeviceService } from './twin-device-service.js';
import {
  mergeTwinPatch,
  sectionSizeViolation,
  twinPatchViolations,
  type TwinSection,
} from './twin-limits.js';
import { FRESH_TWIN_ETAG, twinView, type TwinView } from './twin-views.js';

/** A service-side twin update (IoT Hub's `PATCH /twins/{id}`): tags and/or desired properties. */
export interface TwinUpdate {
  readonly tags?: JsonObject;
  readonly desired?: JsonObject;
}

/** Twins: the device side (a {@link DeviceService}) and the service side the API drives. */
export interface Twins {
  /** Answers twin GET and reported PATCH from devices. */
  readonly service: DeviceService;
  /** The full twin; `NOT_FOUND` when the identity does not exist. */
  get(key: IdentityKey): Promise<TwinView>;
  /**
   * Merges tags and/or desired properties under an optional etag; desired changes are pushed to the
   * identity when it is connected and subscribed. `PRECONDITION_FAILED` on a stale etag.
   */
  update(key: IdentityKey, update: TwinUpdate, options?: { readonly ifMatch?: string }): Promise<TwinView>;
}

/** Builds {@link Twins} over `store.twins`, recording `twinUpdated` operations. */
export function createTwins(context: ServiceContext): Twins {
  const { store, channel } = context;

  const identityOf = async (key: IdentityKey) => {
    const identity = await store.identities.get(key);
    if (identity === undefined)
      throw new ServiceError('NOT_FOUND', `identity ${identityLabel(key)} does not exist`);
    // Connection state and activity reach the registry in batches; the hub's live view is fresher.
    const live = channel.liveActivity?.(identity);
    return live === undefined ? identity : { ...identity, ...live };
  };

  /** The etag to hand storage: a fresh twin's marker means "must still be unwritten". */
  const etagFor = (current: Twin | undefined, ifMatch: string | undefined): string | undefined => {
    if (ifMatch === undefined || ifMatch === '*') return undefined;
    if (current === undefined) {
      if (ifMatch === FRESH_TWIN_ETAG) return undefined;
      throw new ServiceError('PRECONDITION_FAILED', `the twin's etag is ${FRESH_TWIN_ETAG}, not ${ifMatch}`);
    }
    return ifMatch;
  };

  const notifyDesired = (key: IdentityKey, patch: JsonObject, version: number): void => {
    // Pushed only to connected, subscribed sessions; never queued (reference/iothub-mqtt.md §3.3).
    if (!channel.isConnected(key) || !channel.isSubscribed(key, 'twin-desired')) return;
    const payload = Buffer.from(JSON.stringify({ ...patch, $version: version }));
    channel.deliver(key, { topic: buildDesiredPatchTopic(version), payload, qos: 0 }).catch(() => undefined);
  };

  const check = (current: Twin | undefined, update: TwinUpdate): void => {
    const violations: ServiceViolation[] = [];
    const sections: [TwinSection, JsonObject | undefined, string][] = [
      ['tags', update.tags, 'tags'],
      ['desired', update.desired, 'properties.desired'],
    ];
    for (const [section, patch, path] of sections) {
      if (patch === undefined) continue;
      const found = twinPatchViolations(patch, path);
      violations.push(...found);
      if (found.length === 0) {
        const tooBig = sectionSizeViolation(section, mergeTwinPatch(current?.[section] ?? {}, patch), path);
        if (tooBig !== undefined) {
          throw new ServiceError('PAYLOAD_TOO_LARGE', tooBig.message, { details: [tooBig] });
        }
      }
    }
    if (update.tags === undefined && update.desired === undefined) {
      violations.push({ path: '', message: 'give tags and/or properties.desired' });
    }
    if (violations.length > 0) throw validationFailed(violations);
  };

  return {
    service: createTwinDeviceService(context),
    async get(key) {
      const identity = await identityOf(key);
      return twinView(key, identity, await store.twins.get(key));
    },
    async update(key, update, options = {}) {
      const identity = await identityOf(key);
      const current = await store.twins.get(key);
      check(current, update);
      let ifMatch = etagFor(current, options.ifMatch);
      let twin = current;
      try {
        if (update.tags !== undefined) {
          twin = await store.twins.patchTags(key, update.tags, {
            now: context.now(),
            ...(ifMatch ? { ifMatch } : {}),
          });
          // The desired half follows under the etag the tags write produced (one caller's update).
          ifMatch = twin.etag;
          recordOperation(context, {
            operation: 'twinUpdated',
            outcome: 'success',
            deviceId: key.deviceId,
            moduleId: key.moduleId,
            details: { section: 'tags', version: twin.version, by: 'service' },
          });
        }
        if (update.desired !== undefined) {
          twin = await store.twins.patchDesired(key, update.desired, {
            now: context.now(),
            ...(ifMatch ? { ifMatch } : {}),
          });
          recordOperation(context, {
            operation: 'twinUpdated',
            outcome: 'success',
            deviceId: key.deviceId,
            moduleId: key.moduleId,
            details: { section: 'desired', version: twin.desiredVersion, by: 'service' },
          });
          notifyDesired(key, update.desired, twin.desiredVersion);
        }
      } catch (error) {
        const mapped = toServiceError(error);
        recordOperation(context, {
          operation: 'twinUpdated',
          outcome: 'failure',
          deviceId: key.deviceId,
          moduleId: key.moduleId,
          reason: mapped.code,
          details: { by: 'service', message: mapped.message },
        });
        throw mapped;
      }
      return twinView(key, identity, twin);
    },
  };
}
