import { SECURITY_INTERFACE_ID, type DecodedSecurityMessage, type SecurityEvent } from '@vigil/protocol';
import type { CustomRule, IngestRecord, JsonObject, NewOperation, StoreRepositories } from '@vigil/storage';
import type { ThreatIntelLookup } from '../detect/context.js';
import {
  detectDeviceMessage,
  emptyDeviceDetectionState,
  type DeviceDetectionState,
} from '../detect/device-detections.js';
import type { BruteForceOptions } from '../detect/brute-force.js';
import { toEvidence } from '../detect/evidence.js';
import { applyFindings, type ApplyOutcome } from './apply-findings.js';
import { compareIngestIds } from './ingest-order.js';

/** Decodes a security message body; `@vigil/protocol`'s `decodeSecurityMessage` has this shape. */
export type SecurityMessageDecoder = (
  body: Uint8Array,
  properties: Readonly<Record<string, string>>,
) =>
  | { readonly ok: true; readonly message: DecodedSecurityMessage }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** The module whose twin tag names a device's security group (reference §4.1). */
export const SECURITY_MODULE_ID = 'azureiotsecurity';
/** The twin tag holding the group name. */
export const SECURITY_GROUP_TAG = 'SecurityGroup';
/** Every device without a tag belongs here. */
export const DEFAULT_SECURITY_GROUP = 'default';

/** What processing a device record needs. */
export interface DeviceRecordContext {
  /** The store, or the runner's unit of work (then every read and write joins its transaction). */
  readonly store: StoreRepositories;
  readonly decode: SecurityMessageDecoder;
  readonly threatIntel?: ThreatIntelLookup;
  readonly bruteForce?: BruteForceOptions;
  readonly groupRules: (group: string) => Promise<readonly CustomRule[]>;
  readonly outcome: ApplyOutcome & { rejectedMessages: number; eventsRecorded: number };
}

/** True when the record's properties carry the security marker, whichever key form the hub stored. */
export function isSecurityRecord(properties: Readonly<Record<string, string>>): boolean {
  return properties['$.ifid'] === SECURITY_INTERFACE_ID || properties.interfaceId === SECURITY_INTERFACE_ID;
}

interface StoredDetectionState {
  readonly detection?: DeviceDetectionState;
  /** The newest ingest record folded into `detection` (replays at or before it leave state alone). */
  readonly lastIngestId?: string;
}

/**
 * One D2C record: every message refreshes the device's last-message time (device-silent detection);
 * security messages are decoded, their events stored, and the detections run with the device's state
 * and its group's rules. Replaying a record is harmless: events and alert occurrences are idempotent,
 * and the state remembers the last record it absorbed.
 */
export async function processDeviceRecord(record: IngestRecord, context: DeviceRecordContext): Promise<void> {
  const { store } = context;
  const previous = await store.deviceStates.get(record.deviceId);
  const stored = (previous?.state ?? {}) as StoredDetectionState;
  const alreadyAbsorbed =
    stored.lastIngestId !== undefined && compareIngestIds(record.id, stored.lastIngestId) <= 0;
  const securityGroup = await securityGroupOf(store, record.deviceId);
  let nextState: StoredDetectionState = stored;

  if (isSecurityRecord(record.properties)) {
    const decoded = context.decode(record.body, record.properties);
    if (!decoded.ok) {
      context.outcome.rejectedMessages += 1;
    } else {
      context.outcome.eventsRecorded += await store.securityEvents.record(
        decoded.message.events.map((event) => storedEvent(record, event)),
      );
      const result = detectDeviceMessage(
        {
          deviceId: record.deviceId,
          moduleId: record.moduleId,
          receivedAt: record.receivedAt,
          message: decoded.message,
        },
        {
          state: stored.detection ?? emptyDeviceDetectionState(),
          groupRules: await context.groupRules(securityGroup),
          ...(context.threatIntel === undefined ? {} : { threatIntel: context.threatIntel }),
          ...(context.bruteForce === undefined ? {} : { bruteForce: context.bruteForce }),
        },
      );
      await applyFindings(store, result.findings, record.id, context.outcome);
      if (!alreadyAbsorbed) nextState = { detection: result.state, lastIngestId: record.id };
    }
  }
  const lastMessageAt = Math.max(previous?.lastMessageAt ?? 0, record.receivedAt);
  await store.deviceStates.put({
    deviceId: record.deviceId,
    securityGroup,
    lastMessageAt,
    state: nextState as JsonObject,
  });
}

/**
 * Re-reads a device's security group after its `azureiotsecurity` module twin changed (or the module
 * went), so time-window rules follow a tag change at once rather than at the device's next message.
 * A device without state yet gets its group with its first message.
 */
export async function refreshSecurityGroup(store: StoreRepositories, deviceId: string): Promise<void> {
  const current = await store.deviceStates.get(deviceId);
  if (current === undefined) return;
  const securityGroup = await securityGroupOf(store, deviceId);
  if (securityGroup === current.securityGroup) return;
  await store.deviceStates.put({
    deviceId,
    securityGroup,
    lastMessageAt: current.lastMessageAt,
    state: current.state,
  });
}

/**
 * The device whose security group an operations-log entry can change, if any: a successful update of
 * its `azureiotsecurity` module twin, or that module (or the whole device) being deleted.
 */
export function securityGroupChangeOf(
  operation: Pick<NewOperation, 'operation' | 'outcome' | 'deviceId' | 'moduleId'>,
): string | undefined {
  const { deviceId, moduleId } = operation;
  if (operation.outcome !== 'success' || typeof deviceId !== 'string') return undefined;
  const changes =
    operation.operation === 'twinUpdated'
      ? moduleId === SECURITY_MODULE_ID
      : operation.operation === 'identityDeleted' && (moduleId === SECURITY_MODULE_ID || moduleId === null);
  return changes ? deviceId : undefined;
}

async function securityGroupOf(store: Pick<StoreRepositories, 'twins'>, deviceId: string): Promise<string> {
  const twin = await store.twins.get({ deviceId, moduleId: SECURITY_MODULE_ID });
  const tag = twin?.tags[SECURITY_GROUP_TAG];
  return typeof tag === 'string' && tag !== '' ? tag : DEFAULT_SECURITY_GROUP;
}

/** Stored payloads stay under storage's 64 KiB JSON document limit, with room for the envelope. */
const MAX_STORED_PAYLOAD_BYTES = 60 * 1024;

/**
 * An event's payload as stored: whole when it fits; otherwise its item list is cut to what fits and
 * `omittedItems` says how many were left out. Detections always see the whole event; only the copy
 * kept for browsing is cut.
 */
export function storedPayload(event: SecurityEvent): JsonObject {
  const {
    id: _id,
    name: _name,
    category: _category,
    eventType: _eventType,
    timeUtc: _timeUtc,
    ...rest
  } = event;
  const payload = toEvidence(rest);
  if (JSON.stringify(payload).length <= MAX_STORED_PAYLOAD_BYTES) return payload;
  const listKey = Object.keys(payload).find((key) => Array.isArray(payload[key]));
  const items = listKey === undefined ? undefined : payload[listKey];
  if (listKey === undefined || !Array.isArray(items))
    return { kind: event.kind, omitted: 'payload too large to keep' };
  let kept = items.length;
  while (kept > 0) {
    kept = Math.floor(kept / 2);
    const candidate = { ...payload, [listKey]: items.slice(0, kept), omittedItems: items.length - kept };
    if (JSON.stringify(candidate).length <= MAX_STORED_PAYLOAD_BYTES) return candidate;
  }
  return { ...payload, [listKey]: [], omittedItems: items.length };
}

function storedEvent(record: IngestRecord, event: SecurityEvent) {
  const { id, name, category, eventType, timeUtc } = event;
  return {
    // Scoped by device: one device must not be able to shadow another's events by reusing their ids.
    eventId: `${record.deviceId}/${id}`,
    deviceId: record.deviceId,
    moduleId: record.moduleId,
    name,
    category,
    eventType,
    at: timeUtc ?? record.receivedAt,
    receivedAt: record.receivedAt,
    payload: storedPayload(event),
    ingestId: record.id,
  };
}
