/**
 * The seam between the hub's gateway (sessions, authentication, authorization, D2C) and its device
 * services (twins, direct methods, cloud-to-device). The gateway owns the MQTT sessions; a service
 * never touches Aedes, it sends through a {@link DeviceChannel} and is handed the publishes and
 * subscriptions that concern it.
 */
import type { DeviceTopic, SubscriptionFilter } from '@vigil/protocol';
import type { IdentityKey, JsonObject, Millis } from '@vigil/storage';

/** The identity a session authenticated as (from its credential, never from what it claims later). */
export type SessionIdentity = IdentityKey;

/** How a session reached the hub; IoT Hub's operations log names the protocol of each D2C count. */
export type SessionProtocol = 'mqtt' | 'mqtt-ws';

/** A message for one connected identity. */
export interface OutboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
}

/**
 * What this hub knows of an identity's connection that the registry may not have yet: the
 * registry's connection state and last activity are written in batches, a fraction of a second late.
 */
export interface LiveActivity {
  readonly connectionState?: 'connected' | 'disconnected';
  readonly connectionStateUpdatedAt?: Millis;
  readonly lastActivityAt?: Millis;
}

/** What the gateway offers the device services. */
export interface DeviceChannel {
  /** True while the identity has a live, authenticated session. */
  isConnected(identity: SessionIdentity): boolean;
  /**
   * This hub's live view of the identity's connection (a session it holds, state not yet written),
   * or undefined when the registry's columns are all it knows. Optional: a channel without it
   * leaves the registry's values as they are.
   */
  liveActivity?(identity: SessionIdentity): LiveActivity | undefined;
  /** True once the live session subscribed to the given kind of filter (e.g. `methods`, `c2d`). */
  isSubscribed(identity: SessionIdentity, kind: SubscriptionFilter['kind']): boolean;
  /**
   * Publishes to the identity's live session. Resolves true once handed to the session (QoS 1:
   * once the device acknowledged), false when the identity is not connected.
   */
  deliver(identity: SessionIdentity, message: OutboundMessage): Promise<boolean>;
  /** Closes the identity's session (device disabled, deleted or credentials rotated). */
  disconnect(identity: SessionIdentity, reason: string): void;
  /**
   * Closes every session that authenticated with this shared access policy — with `key`, only those
   * that used that key — after the policy was deleted or a key replaced. Returns how many it closed.
   */
  disconnectPolicy(policyName: string, reason: string, key?: 'primary' | 'secondary'): number;
}

/** A device publish that is not telemetry: twin requests and method responses. */
export type ServiceTopic = Exclude<DeviceTopic, { readonly kind: 'd2c' }>;

/** A part of the hub that answers device requests (twins, methods, C2D). */
export interface DeviceService {
  /** Topics of these kinds are routed to this service. */
  readonly handles: readonly ServiceTopic['kind'][];
  /** Handles one publish; must not throw (answer the device with an error status instead). */
  handle(identity: SessionIdentity, topic: ServiceTopic, payload: Buffer): Promise<void>;
  /** A subscription was granted (e.g. C2D: deliver what is queued). */
  onSubscribed?(identity: SessionIdentity, filter: SubscriptionFilter): void;
  /** The identity's session ended (e.g. methods: fail pending invocations as IoT Hub does). */
  onDisconnected?(identity: SessionIdentity): void;
  /** Stops timers; called once at hub shutdown. */
  close?(): Promise<void>;
}

/**
 * The operations recorded in the operations log (issue 4, "Operations log"); the security center's
 * hub alerts and custom alerts are computed from these names, so they are part of the contract.
 */
export const HUB_OPERATIONS = [
  'connect',
  'disconnect',
  'authenticationFailed',
  'unauthorizedOperation',
  'sessionReplaced',
  'd2cReceived',
  'd2cRejected',
  'c2dSent',
  'c2dDelivered',
  'c2dRejected',
  'c2dExpired',
  'c2dPurged',
  'twinUpdated',
  'methodInvoked',
  'identityCreated',
  'identityUpdated',
  'identityDeleted',
  'certificateAdded',
  'certificateAddFailed',
  'certificateDeleted',
  'certificateDeleteFailed',
  'certificateVerified',
  'diagnosticSettingChanged',
  'diagnosticSettingDeleted',
  'ipFilterChanged',
  'accessPolicyCreated',
  'accessPolicyKeyRotated',
  'accessPolicyDeleted',
  // Written by the server's threat-intel feed API (added, updated, removed, reloaded: `details.action`).
  'threatIntelFeedChanged',
] as const;

/** One of {@link HUB_OPERATIONS}. */
export type HubOperationName = (typeof HUB_OPERATIONS)[number];

/** Why an authentication failed, as the operations log records it (`reason`). */
export const AUTH_FAILURE_REASONS = [
  'unknownIdentity',
  'identityDisabled',
  'sasExpired',
  'sasSignatureMismatch',
  'sasMalformed',
  'sasResourceMismatch',
  'clientIdMismatch',
  'usernameMismatch',
  'thumbprintMismatch',
  'certificateExpired',
  'certificateUntrusted',
  'noCredential',
  'ipFiltered',
  /** A token's `skn` names no shared access policy of this hub. */
  'unknownPolicy',
  /** The policy a token names exists but does not grant `DeviceConnect`. */
  'policyLacksDeviceConnect',
] as const;

/**
 * Why an authentication could not be decided (CONNACK 3, which the SDKs retry), as the operations
 * log records it: the hook's time limit passed, or the registry failed.
 */
export const AUTH_UNAVAILABLE_REASONS = ['authenticationTimedOut', 'authenticationUnavailable'] as const;

/** One of {@link AUTH_UNAVAILABLE_REASONS}. */
export type AuthUnavailableReason = (typeof AUTH_UNAVAILABLE_REASONS)[number];

/** One of {@link AUTH_FAILURE_REASONS}. */
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** One operations-log entry as a hub part reports it. */
export interface HubOperation {
  readonly operation: HubOperationName;
  readonly at: Millis;
  readonly outcome: 'success' | 'failure';
  readonly deviceId?: string | null;
  readonly moduleId?: string | null;
  readonly sourceAddress?: string | null;
  readonly reason?: string | null;
  readonly details?: JsonObject;
}

/**
 * Where hub parts report operations. The gateway's implementation appends them to the ingest log
 * (kind `operation`) in the background; `record` never throws and never blocks the caller.
 */
export interface OperationsSink {
  record(operation: HubOperation): void;
  /** Resolves once everything recorded so far is durable. */
  flush(): Promise<void>;
}
