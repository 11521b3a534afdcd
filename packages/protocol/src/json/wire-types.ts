/**
 * TypeScript shapes of the JSON 1.0 security message as it travels on the wire
 * (reference/azure-security-module.md §2.1–2.2). Field names are the wire's own, PascalCase and all.
 * These describe a message that passed {@link validateSecurityMessage}; decoders turn them into the
 * normalised model of `events/model.ts`.
 */
import type { WireEvent } from './wire-events.js';

/** A 36-character GUID string (`9c647395-b913-4997-a732-a7fe7303b649`); the schema checks only its length. */
export type WireGuid = string;

/** An RFC 3339 date-time (`2018-08-10T11:01:21.000+01:00`); agents also send variants (§2.1). */
export type WireDateTime = string;

/** An IPv4 or IPv6 address in text form. */
export type WireIpAddress = string;

/** An address or a tag: IP, CIDR, range `a-b`, `a/b` or a name such as `Local subnet`. */
export type WireIpTag = string;

/** A port as text: `"53248"`, `"53248-53250"`, `"*"`, `"22,53"`. */
export type WirePort = string;

/** A protocol name: `TCP`, `UDP`, `ICMP`; agents send lower-case and `tcp6` too (§2.1). */
export type WireProtocol = string;

/** `ExtraDetails`: free-form string details on any payload item. */
export type WireExtraDetails = Readonly<Record<string, string>>;

/** Connection or rule direction. */
export type WireDirection = 'In' | 'Out';

/**
 * `Category`. `Aggregated` is not in the published schema but the agents send it for aggregated
 * ProcessCreate, ConnectionCreate and ProcessTerminate events (§2.1, §2.3).
 */
export type WireCategory = 'Periodic' | 'Triggered' | 'Aggregated';

/** `EventType`. */
export type WireEventType = 'Security' | 'Operational' | 'Diagnostic';

/** Fields every payload item may carry. */
export interface WirePayloadItemBase {
  readonly ExtraDetails?: WireExtraDetails;
}

/** The top-level JSON 1.0 security message. */
export interface WireSecurityMessage {
  readonly AgentVersion: string;
  readonly AgentId: WireGuid;
  readonly MessageSchemaVersion: '1.0';
  /** At least one event. */
  readonly Events: readonly WireEvent[];
}

/** The nine fields every event has, with `Name` and `Payload` tied together by the event type. */
export interface WireEventEnvelope<N extends string, T extends WireEventType, P> {
  readonly Id: WireGuid;
  readonly TimestampLocal: WireDateTime;
  readonly TimestampUTC: WireDateTime;
  readonly Category: WireCategory;
  readonly Name: N;
  readonly EventType: T;
  /** True only for a Periodic event with nothing to report. */
  readonly IsEmpty: boolean;
  readonly PayloadSchemaVersion: '1.0';
  readonly Payload: readonly P[];
}
