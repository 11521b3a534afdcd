import { SYSTEM_PROPERTY_TABLE, type PropertyBagInput, type SystemProperties } from '@vigil/protocol';
import type { C2dMessage } from '@vigil/storage';
import type { ServiceViolation } from '../registry/index.js';

/** The system properties a sender may set on a C2D message (reference/iothub-mqtt.md §3.2). */
export const SETTABLE_C2D_PROPERTIES = [
  'messageId',
  'correlationId',
  'userId',
  'contentType',
  'contentEncoding',
  'ack',
] as const;

/** One of {@link SETTABLE_C2D_PROPERTIES}. */
export type SettableC2dProperty = (typeof SETTABLE_C2D_PROPERTIES)[number];

/** IoT Hub's feedback values for `iothub-ack`. */
export const C2D_ACK_VALUES = ['none', 'positive', 'negative', 'full'] as const;

const WIRE_KEY = new Map(SYSTEM_PROPERTY_TABLE.map((entry) => [entry.name, entry.wireKey]));
const NAME_BY_WIRE_KEY = new Map(SYSTEM_PROPERTY_TABLE.map((entry) => [entry.wireKey, entry.name]));

/** At most this many application properties, each key and value at most 1 KB (bounded bags). */
export const MAX_C2D_APPLICATION_PROPERTIES = 64;
const MAX_PROPERTY_TEXT = 1024;

/**
 * Checks what a sender supplies and turns it into the stored property map: system properties under
 * their wire keys (`$.cid`, `iothub-ack`…), application properties under their own keys.
 */
export function storedC2dProperties(
  system: Partial<Record<SettableC2dProperty, string>>,
  application: Readonly<Record<string, string>>,
  violations: ServiceViolation[],
): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of SETTABLE_C2D_PROPERTIES) {
    const value = system[name];
    if (value === undefined || name === 'messageId') continue;
    if (value.length > MAX_PROPERTY_TEXT)
      violations.push({ path: name, message: `is longer than ${MAX_PROPERTY_TEXT} characters` });
    if (name === 'ack' && !(C2D_ACK_VALUES as readonly string[]).includes(value)) {
      violations.push({ path: 'ack', message: `must be one of ${C2D_ACK_VALUES.join(', ')}` });
    }
    stored[WIRE_KEY.get(name) ?? name] = value;
  }
  const entries = Object.entries(application);
  if (entries.length > MAX_C2D_APPLICATION_PROPERTIES) {
    violations.push({
      path: 'properties',
      message: `has more than ${MAX_C2D_APPLICATION_PROPERTIES} entries`,
    });
  }
  for (const [key, value] of entries) {
    const path = `properties.${key}`;
    if (key.length === 0 || key.length > MAX_PROPERTY_TEXT)
      violations.push({ path, message: 'key must be 1–1024 characters' });
    else if (key.startsWith('$.') || NAME_BY_WIRE_KEY.has(key)) {
      violations.push({ path, message: 'is a system property name; set it through its own field' });
    }
    if (value.length > MAX_PROPERTY_TEXT)
      violations.push({ path, message: `value is longer than ${MAX_PROPERTY_TEXT} characters` });
    stored[key] = value;
  }
  return stored;
}

/**
 * The property bag a stored message is delivered with: `$.mid`, `$.to`
 * (`/devices/{id}/messages/devicebound`, as IoT Hub sets it), `$.exp`, the sender's system
 * properties, then application properties (reference/iothub-mqtt.md §3.2; written `%24.` by
 * `formatPropertyBag`, §0 item 4).
 */
export function deliveryBag(message: C2dMessage): PropertyBagInput {
  const system: { -readonly [K in keyof SystemProperties]?: string } = {
    ...(message.messageId === null ? {} : { messageId: message.messageId }),
    to: `/devices/${message.deviceId}/messages/devicebound`,
    expiryTimeUtc: new Date(message.expiresAt).toISOString(),
  };
  const application: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.properties)) {
    const name = NAME_BY_WIRE_KEY.get(key);
    if (name === undefined) application[key] = value;
    else system[name] = value;
  }
  return { system, application };
}
