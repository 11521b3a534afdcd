import { randomUUID } from 'node:crypto';
import { buildTwinResponseTopic } from '@vigil/protocol';
import type { JsonObject } from '@vigil/storage';
import type { DeviceService, ServiceTopic, SessionIdentity } from '../contract/index.js';
import { identityLabel, recordOperation, type ServiceContext } from '../registry/index.js';
import { mergeTwinPatch, sectionSizeViolation, twinPatchViolations } from './twin-limits.js';
import { deviceTwinBody } from './twin-views.js';

/** Twin requests one identity may have in flight before it is answered 429 (bounded work per device). */
export const MAX_TWIN_REQUESTS_IN_FLIGHT = 8;

/**
 * IoT Hub error codes in twin error bodies. The Node SDK reports an error only when the body is an
 * object with `errorCode` (reference/iothub-mqtt.md §0 item 1); the numbers are IoT Hub's own.
 */
const ERROR_CODES = { 400: 400004, 413: 413002, 429: 429001, 500: 500001 } as const;
type ErrorStatus = keyof typeof ERROR_CODES;

function errorBody(status: ErrorStatus, message: string, now: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      errorCode: ERROR_CODES[status],
      message,
      trackingId: randomUUID(),
      timestampUtc: new Date(now).toISOString(),
    }),
  );
}

type Answer = { status: 200 | 204 | ErrorStatus; body: Buffer; version?: number; refused?: string };

/**
 * The device side of twins: answers `$iothub/twin/GET` with 200 and `{desired, reported}` and
 * reported PATCHes with 204 and the new `$version` (reference/iothub-mqtt.md §3.3), errors with an
 * `errorCode` body, the `$rid` echoed byte for byte.
 */
export function createTwinDeviceService(context: ServiceContext): DeviceService {
  const { store, channel } = context;
  const inFlight = new Map<string, number>();

  const get = async (identity: SessionIdentity): Promise<Answer> => ({
    status: 200,
    body: Buffer.from(JSON.stringify(deviceTwinBody(await store.twins.get(identity)))),
  });

  const patchReported = async (identity: SessionIdentity, payload: Buffer): Promise<Answer> => {
    let patch: unknown;
    try {
      patch = JSON.parse(payload.toString('utf8'));
    } catch {
      return {
        status: 400,
        body: errorBody(400, 'reported properties patch is not valid JSON', context.now()),
        refused: 'invalidJson',
      };
    }
    const violations = twinPatchViolations(patch, 'reported');
    if (violations.length > 0) {
      const text = violations.map((v) => `${v.path}: ${v.message}`).join('; ');
      return { status: 400, body: errorBody(400, text, context.now()), refused: 'invalidPatch' };
    }
    const current = await store.twins.get(identity);
    const tooBig = sectionSizeViolation(
      'reported',
      mergeTwinPatch(current?.reported ?? {}, patch as JsonObject),
      'reported',
    );
    if (tooBig !== undefined) {
      return { status: 413, body: errorBody(413, tooBig.message, context.now()), refused: 'tooLarge' };
    }
    const twin = await store.twins.patchReported(identity, patch as JsonObject, { now: context.now() });
    recordOperation(context, {
      operation: 'twinUpdated',
      outcome: 'success',
      deviceId: identity.deviceId,
      moduleId: identity.moduleId,
      details: { section: 'reported', version: twin.reportedVersion, by: 'device' },
    });
    return { status: 204, body: Buffer.alloc(0), version: twin.reportedVersion };
  };

  return {
    handles: ['twin-get', 'twin-patch-reported'],
    async handle(identity: SessionIdentity, topic: ServiceTopic, payload: Buffer): Promise<void> {
      if (topic.kind !== 'twin-get' && topic.kind !== 'twin-patch-reported') return;
      const label = identityLabel(identity);
      const busy = inFlight.get(label) ?? 0;
      let answer: Answer;
      if (busy >= MAX_TWIN_REQUESTS_IN_FLIGHT) {
        answer = { status: 429, body: errorBody(429, 'too many twin requests in flight', context.now()) };
      } else {
        inFlight.set(label, busy + 1);
        try {
          answer = topic.kind === 'twin-get' ? await get(identity) : await patchReported(identity, payload);
        } catch {
          answer = {
            status: 500,
            body: errorBody(500, 'the twin could not be read or written', context.now()),
          };
        } finally {
          const left = (inFlight.get(label) ?? 1) - 1;
          if (left <= 0) inFlight.delete(label);
          else inFlight.set(label, left);
        }
      }
      if (answer.refused !== undefined) {
        // Refused device writes are counted too: a device sending garbage is worth seeing.
        recordOperation(context, {
          operation: 'twinUpdated',
          outcome: 'failure',
          deviceId: identity.deviceId,
          moduleId: identity.moduleId,
          reason: answer.refused,
          details: { section: 'reported', by: 'device', status: answer.status },
        });
      }
      // A device that never subscribed to responses gets none (MQTT: no subscription, no delivery).
      if (!channel.isSubscribed(identity, 'twin-responses')) return;
      const responseTopic = buildTwinResponseTopic({
        status: answer.status,
        rid: topic.rid,
        ...(answer.version === undefined ? {} : { version: answer.version }),
      });
      await channel.deliver(identity, { topic: responseTopic, payload: answer.body, qos: 0 });
    },
  };
}
