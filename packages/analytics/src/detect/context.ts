import type { DecodedSecurityMessage } from '@vigil/protocol';
import type { Millis } from '@vigil/storage';

/** One decoded security message of one device, as the detections see it. */
export interface DeviceMessage {
  readonly deviceId: string;
  readonly moduleId: string | null;
  /** When the hub received it (events without a readable time fall back to this). */
  readonly receivedAt: Millis;
  readonly message: DecodedSecurityMessage;
}

/** A threat-intelligence hit: which feed, which entry. */
export interface ThreatIntelHit {
  readonly feed: string;
  readonly entry: string;
}

/** Answers whether an address is listed by a loaded threat-intelligence feed. */
export interface ThreatIntelLookup {
  lookup(address: string): ThreatIntelHit | undefined;
}

/** The time of an event, or the receive time when the device sent none readable. */
export function eventTime(timeUtc: number | null, receivedAt: Millis): Millis {
  return timeUtc ?? receivedAt;
}
