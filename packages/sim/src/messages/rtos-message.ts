/**
 * Builds RTOS security messages in the FlatBuffers schema "AzureIoTSecurity" 2.3, the way the Azure
 * RTOS security module serialises them (reference/azure-security-module.md §1.6–1.8): the constant
 * module id and version, event ids from one seeded counter, and the `mti` plus security marker as
 * the only two properties.
 */
import {
  RTOS_MTI,
  SECURITY_INTERFACE_ID,
  encodeRtosMessage,
  type RtosEvent,
  type RtosPayload,
} from '@vigil/protocol';
import type { OutgoingMessage } from '../behaviour/behaviour.js';
import type { Random } from '../random.js';

/** `ASC_SECURITY_MODULE_ID`: RTOS puts this constant, not the device id, in every message (§1.6). */
export const RTOS_SECURITY_MODULE_ID = 'defender-iot-micro-agent';
/** Module version 3.5.4 as (major << 24) | (minor << 16) | patch (§1.6). */
export const RTOS_SECURITY_MODULE_VERSION = (3 << 24) | (5 << 16) | 4;

const MASK_64 = (1n << 64n) - 1n;

/**
 * The module's event id generator: seeded once with two random 64-bit halves, then both halves +1 per
 * event (§1.7 — so the ids are not RFC 4122 v4 UUIDs, whatever the schema comment says).
 */
export function rtosEventIds(random: Random): () => string {
  const half = (): bigint => {
    let value = 0n;
    for (let i = 0; i < 4; i += 1) value = (value << 16n) | BigInt(random.int(0, 0xffff));
    return value;
  };
  let high = half();
  let low = half();
  return () => {
    high = (high + 1n) & MASK_64;
    low = (low + 1n) & MASK_64;
    const hex = high.toString(16).padStart(16, '0') + low.toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

/** One event: `time` in unix seconds at serialisation, `collection_interval` the collector's (§1.7). */
export function rtosEvent(
  id: string,
  at: number,
  collectionIntervalMs: number,
  payload: RtosPayload,
): RtosEvent {
  return {
    id,
    time: Math.floor(at / 1000),
    collectionInterval: Math.max(1, Math.round(collectionIntervalMs / 1000)),
    payload,
  };
}

/**
 * A finished message as the device publishes it: the FlatBuffer as the whole body, `mti=2.3-1-0-0`
 * and `$.ifid`, and no content type or encoding (a binary body, §1.8).
 */
export function rtosSecurityMessage(events: readonly RtosEvent[]): OutgoingMessage {
  return {
    body: encodeRtosMessage({
      securityModuleId: RTOS_SECURITY_MODULE_ID,
      securityModuleVersion: RTOS_SECURITY_MODULE_VERSION,
      timezone: 0,
      events,
    }),
    properties: { system: { interfaceId: SECURITY_INTERFACE_ID }, application: { mti: RTOS_MTI } },
  };
}
