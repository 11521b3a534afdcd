/**
 * IoT Hub system properties that travel in an MQTT topic property bag, by their friendly names.
 * All values are strings as sent; times are ISO-8601 text and are not parsed here.
 */
export interface SystemProperties {
  /** `$.mid` */
  readonly messageId?: string;
  /** `$.cid` */
  readonly correlationId?: string;
  /** `$.uid` */
  readonly userId?: string;
  /** `$.to` */
  readonly to?: string;
  /** `$.ct`, e.g. `application/json` */
  readonly contentType?: string;
  /** `$.ce`, e.g. `utf-8` */
  readonly contentEncoding?: string;
  /** `$.exp`, absolute expiry (Node writes `Date.toISOString()`) */
  readonly expiryTimeUtc?: string;
  /** `$.ctime`, creation time (C SDK) */
  readonly creationTimeUtc?: string;
  /** `$.ifid`; {@link SECURITY_INTERFACE_ID} marks a security message */
  readonly interfaceId?: string;
  /** `$.on`, module output name */
  readonly outputName?: string;
  /** `$.sub`, PnP component name */
  readonly componentName?: string;
  /** `$.schema` */
  readonly messageSchema?: string;
  /** `$.diagid` */
  readonly diagnosticId?: string;
  /** `$.diagctx` */
  readonly diagnosticCorrelationContext?: string;
  /** `$.cdid`, connection device id */
  readonly connectionDeviceId?: string;
  /** `$.cmid`, connection module id */
  readonly connectionModuleId?: string;
  /** `iothub-operation` */
  readonly operation?: string;
  /** `iothub-ack`, C2D feedback request (none, positive, negative, full) */
  readonly ack?: string;
}

/** One row of {@link SYSTEM_PROPERTY_TABLE}: a friendly name and its key as decoded from the wire. */
export interface SystemPropertyEntry {
  readonly name: keyof SystemProperties;
  readonly wireKey: string;
}

/**
 * Every system property Vigil recognises, in the order {@link formatPropertyBag} writes them
 * (reference/iothub-mqtt.md §3.1 table and §0 item 4, the C SDK's `sysPropList`).
 * Keys starting `$.` go on the wire as `%24.`; `iothub-operation` and `iothub-ack` are written literally.
 */
export const SYSTEM_PROPERTY_TABLE: readonly SystemPropertyEntry[] = [
  { name: 'messageId', wireKey: '$.mid' },
  { name: 'correlationId', wireKey: '$.cid' },
  { name: 'userId', wireKey: '$.uid' },
  { name: 'to', wireKey: '$.to' },
  { name: 'contentType', wireKey: '$.ct' },
  { name: 'contentEncoding', wireKey: '$.ce' },
  { name: 'expiryTimeUtc', wireKey: '$.exp' },
  { name: 'creationTimeUtc', wireKey: '$.ctime' },
  { name: 'interfaceId', wireKey: '$.ifid' },
  { name: 'outputName', wireKey: '$.on' },
  { name: 'componentName', wireKey: '$.sub' },
  { name: 'messageSchema', wireKey: '$.schema' },
  { name: 'diagnosticId', wireKey: '$.diagid' },
  { name: 'diagnosticCorrelationContext', wireKey: '$.diagctx' },
  { name: 'connectionDeviceId', wireKey: '$.cdid' },
  { name: 'connectionModuleId', wireKey: '$.cmid' },
  { name: 'operation', wireKey: 'iothub-operation' },
  { name: 'ack', wireKey: 'iothub-ack' },
];

/** Decoded wire key → friendly name. */
export const SYSTEM_NAME_BY_WIRE_KEY: ReadonlyMap<string, keyof SystemProperties> = new Map(
  SYSTEM_PROPERTY_TABLE.map((e) => [e.wireKey, e.name]),
);
