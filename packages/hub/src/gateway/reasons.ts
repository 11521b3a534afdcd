/**
 * The `reason` values the gateway writes on `d2cRejected` and `unauthorizedOperation` operations,
 * so consumers (the security center's custom alerts, the API) can branch on them.
 */

/** Why a device message was not accepted (operation `d2cRejected`). */
export const D2C_REJECTION_REASONS = [
  /** Body over `limits.maxMessageBytes` (256 KiB). */
  'messageTooLarge',
  /** The frame guard saw a packet announcing more than `limits.maxPacketBytes`. */
  'packetTooLarge',
  /** The frame guard could not read an MQTT remaining length. */
  'malformedPacket',
  /** Topic over `limits.maxTopicLength`. */
  'topicTooLong',
  /** The topic's property bag does not decode (or is over its bounds). */
  'malformedPropertyBag',
  /** The ingest log refused or failed the append; the device should retry. */
  'ingestUnavailable',
] as const;

/** One of {@link D2C_REJECTION_REASONS}. */
export type D2cRejectionReason = (typeof D2C_REJECTION_REASONS)[number];

/** Why a publish or subscribe was refused (operation `unauthorizedOperation`). */
export const UNAUTHORIZED_OPERATION_REASONS = [
  /** A publish to another identity's topic. */
  'foreignTopic',
  /** A publish to a topic outside the IoT Hub device surface. */
  'unknownTopic',
  /** A QoS 2 publish (IoT Hub closes the connection). */
  'qos2NotSupported',
  /** A subscription to another identity's filter (or C2D for a module). */
  'foreignSubscription',
  /** A filter that is not one of the documented device subscriptions. */
  'unknownSubscription',
  /** More distinct subscriptions than `limits.maxSubscriptionsPerConnection`. */
  'tooManySubscriptions',
] as const;

/** One of {@link UNAUTHORIZED_OPERATION_REASONS}. */
export type UnauthorizedOperationReason = (typeof UNAUTHORIZED_OPERATION_REASONS)[number];
