import { ProtocolError } from '../errors/index.js';
import { assertIdentityId, clip, decodeTopicId, encodeTopicId } from './identity-id.js';
import { MAX_TOPIC_BYTES } from './topic-name.js';

/** A topic filter a device subscribes to, as the hub classifies it with {@link parseSubscriptionFilter}. */
export type SubscriptionFilter =
  /** `devices/{d}/messages/devicebound/#` (Node, C SDK). */
  | { readonly kind: 'c2d'; readonly deviceId: string }
  /**
   * `devices/+/messages/devicebound/#` (Embedded C, NetX Duo): means "my own device's C2D", never another
   * device's (reference/iothub-mqtt.md §0 item 6).
   */
  | { readonly kind: 'c2d-any-device' }
  /**
   * Module inputs: `devices/{d}/modules/{m}/inputs/#` (Node `ModuleClient`, form `inputs`) or
   * `devices/{d}/modules/{m}/#` (C SDK and docs, form `module-wildcard`); reference/iothub-mqtt.md §0 item 7.
   */
  | {
      readonly kind: 'module-inputs';
      readonly deviceId: string;
      readonly moduleId: string;
      readonly form: 'inputs' | 'module-wildcard';
    }
  /** `$iothub/twin/res/#` */
  | { readonly kind: 'twin-responses' }
  /** `$iothub/twin/PATCH/properties/desired/#` */
  | { readonly kind: 'twin-desired' }
  /** `$iothub/methods/POST/#` */
  | { readonly kind: 'methods' };

/** Filter for every twin response. */
export const TWIN_RESPONSES_FILTER = '$iothub/twin/res/#';
/** Filter for desired-property pushes. */
export const TWIN_DESIRED_FILTER = '$iothub/twin/PATCH/properties/desired/#';
/** Filter for every direct method request (one filter, not one per method: five subscriptions at most). */
export const METHODS_FILTER = '$iothub/methods/POST/#';
/** The C2D filter Embedded C and NetX Duo use. */
export const C2D_ANY_DEVICE_FILTER = 'devices/+/messages/devicebound/#';

const FIXED = new Map<string, SubscriptionFilter>([
  [TWIN_RESPONSES_FILTER, { kind: 'twin-responses' }],
  [TWIN_DESIRED_FILTER, { kind: 'twin-desired' }],
  [METHODS_FILTER, { kind: 'methods' }],
  [C2D_ANY_DEVICE_FILTER, { kind: 'c2d-any-device' }],
]);

const EXPECTED =
  'one of the IoT Hub device subscriptions: devices/{id}/messages/devicebound/#, devices/+/messages/devicebound/#, ' +
  `devices/{id}/modules/{m}/inputs/#, devices/{id}/modules/{m}/#, ${TWIN_RESPONSES_FILTER}, ${TWIN_DESIRED_FILTER}, ${METHODS_FILTER}`;

function unknownFilter(filter: string): never {
  throw new ProtocolError('MALFORMED_TOPIC', `subscription "${clip(filter, 160)}" is not ${EXPECTED}`);
}

/**
 * Classifies a SUBSCRIBE filter. Only the documented filters are recognised; anything else throws
 * `MALFORMED_TOPIC` (the hub answers SUBACK 0x80, reference/iothub-mqtt.md §0 item 13). Ids are decoded and
 * validated; the hub still has to check that they name the connected identity.
 */
export function parseSubscriptionFilter(filter: string): SubscriptionFilter {
  if (filter.length > MAX_TOPIC_BYTES) unknownFilter(filter);
  const fixed = FIXED.get(filter);
  if (fixed !== undefined) return fixed;
  const parts = filter.split('/');
  if (parts[0] !== 'devices' || parts.at(-1) !== '#') unknownFilter(filter);
  const deviceSegment = parts[1] ?? '';
  // Ids are written without wildcards; `+` and `#` in an id travel escaped (`%2B`, `%23`).
  if (/[#+]/.test(deviceSegment) || deviceSegment === '') unknownFilter(filter);
  if (parts.length === 5 && parts[2] === 'messages' && parts[3] === 'devicebound') {
    return { kind: 'c2d', deviceId: decodeTopicId(deviceSegment, 'device id') };
  }
  if (parts[2] !== 'modules' || (parts.length !== 5 && parts.length !== 6)) unknownFilter(filter);
  const moduleSegment = parts[3] ?? '';
  if (/[#+]/.test(moduleSegment) || moduleSegment === '') unknownFilter(filter);
  if (parts.length === 6 && parts[4] !== 'inputs') unknownFilter(filter);
  return {
    kind: 'module-inputs',
    deviceId: decodeTopicId(deviceSegment, 'device id'),
    moduleId: decodeTopicId(moduleSegment, 'module id'),
    form: parts.length === 6 ? 'inputs' : 'module-wildcard',
  };
}

/** The C2D filter a device subscribes with: `devices/{d}/messages/devicebound/#`. */
export function buildC2dSubscription(deviceId: string): string {
  assertIdentityId(deviceId, 'device id');
  return `devices/${encodeTopicId(deviceId)}/messages/devicebound/#`;
}

/** A module inputs filter, in the Node (`inputs`) or C SDK (`module-wildcard`) form. */
export function buildModuleInputsSubscription(
  deviceId: string,
  moduleId: string,
  form: 'inputs' | 'module-wildcard' = 'inputs',
): string {
  assertIdentityId(deviceId, 'device id');
  assertIdentityId(moduleId, 'module id');
  const base = `devices/${encodeTopicId(deviceId)}/modules/${encodeTopicId(moduleId)}/`;
  return form === 'inputs' ? `${base}inputs/#` : `${base}#`;
}

/** Builds the filter for any {@link SubscriptionFilter}; the inverse of {@link parseSubscriptionFilter}. */
export function buildSubscriptionFilter(filter: SubscriptionFilter): string {
  switch (filter.kind) {
    case 'c2d':
      return buildC2dSubscription(filter.deviceId);
    case 'c2d-any-device':
      return C2D_ANY_DEVICE_FILTER;
    case 'module-inputs':
      return buildModuleInputsSubscription(filter.deviceId, filter.moduleId, filter.form);
    case 'twin-responses':
      return TWIN_RESPONSES_FILTER;
    case 'twin-desired':
      return TWIN_DESIRED_FILTER;
    case 'methods':
      return METHODS_FILTER;
  }
}
