import { SYSTEM_PROPERTY_TABLE, type PropertyBag } from '@vigil/protocol';
import type { IngestRecordInput } from '@vigil/storage';
import type { AuthMethod } from '../auth/index.js';
import type { SessionIdentity, SessionProtocol } from '../contract/index.js';

/**
 * Properties the hub stamps on every D2C ingest record, as IoT Hub stamps them when a message
 * enters (reference/iothub-mqtt.md §3.1), plus the protocol and the remote address the security
 * center's IP alerts need. They are written last, so a device cannot forge them in its bag.
 */
export const INGEST_PROPERTIES = Object.freeze({
  deviceId: 'iothub-connection-device-id',
  moduleId: 'iothub-connection-module-id',
  authMethod: 'iothub-connection-auth-method',
  enqueuedTime: 'iothub-enqueuedtime',
  messageSource: 'iothub-message-source',
  /** `mqtt` or `mqtt-ws`. */
  protocol: 'vigil-protocol',
  sourceAddress: 'vigil-source-address',
  /** `true` when the device set RETAIN (not stored; reference/iothub-mqtt.md §0 item 12). */
  retain: 'mqtt-retain',
  dup: 'mqtt-dup',
  /** `Will` for a Will message published on an unclean drop. */
  messageType: 'iothub-MessageType',
});

const AUTH_STAMP: Record<AuthMethod, string> = {
  sas: JSON.stringify({ scope: 'device', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null }),
  // IoT Hub stamps a hub-level policy's connection with scope `hub`.
  sasPolicy: JSON.stringify({ scope: 'hub', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null }),
  x509SelfSigned: JSON.stringify({
    scope: 'device',
    type: 'x509Certificate',
    issuer: 'external',
    acceptingIpFilterRule: null,
  }),
  x509Ca: JSON.stringify({
    scope: 'device',
    type: 'x509Certificate',
    issuer: 'external',
    acceptingIpFilterRule: null,
  }),
};

/** Everything about one accepted D2C publish that goes into its ingest record. */
export interface D2cMessage {
  readonly identity: SessionIdentity;
  readonly protocol: SessionProtocol;
  readonly authMethod: AuthMethod;
  readonly remoteAddress: string;
  readonly properties: PropertyBag;
  readonly payload: Buffer;
  readonly receivedAt: number;
  readonly retain: boolean;
  readonly dup: boolean;
  readonly will: boolean;
}

/**
 * The ingest record (kind `d2c`) for an accepted message. System properties keep their decoded
 * wire keys (`$.ifid`, `$.ct`, …; the security marker is `$.ifid` =
 * `urn:azureiot:Security:SecurityAgent:1`), application properties their names (a bare key is `''`),
 * then the {@link INGEST_PROPERTIES} stamps.
 */
export function d2cIngestRecord(message: D2cMessage): IngestRecordInput {
  const properties: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(message.properties.application)) properties[key] = value ?? '';
  for (const { name, wireKey } of SYSTEM_PROPERTY_TABLE) {
    const value = message.properties.system[name];
    if (value !== undefined) properties[wireKey] = value;
  }
  for (const key of Object.values(INGEST_PROPERTIES)) delete properties[key];
  properties[INGEST_PROPERTIES.deviceId] = message.identity.deviceId;
  if (message.identity.moduleId !== null) properties[INGEST_PROPERTIES.moduleId] = message.identity.moduleId;
  properties[INGEST_PROPERTIES.authMethod] = AUTH_STAMP[message.authMethod];
  properties[INGEST_PROPERTIES.enqueuedTime] = new Date(message.receivedAt).toISOString();
  properties[INGEST_PROPERTIES.messageSource] = 'Telemetry';
  properties[INGEST_PROPERTIES.protocol] = message.protocol;
  properties[INGEST_PROPERTIES.sourceAddress] = message.remoteAddress;
  if (message.retain) properties[INGEST_PROPERTIES.retain] = 'true';
  if (message.dup) properties[INGEST_PROPERTIES.dup] = 'true';
  if (message.will) properties[INGEST_PROPERTIES.messageType] = 'Will';
  return {
    kind: 'd2c',
    deviceId: message.identity.deviceId,
    moduleId: message.identity.moduleId,
    receivedAt: message.receivedAt,
    properties: { ...properties },
    body: message.payload,
  };
}
