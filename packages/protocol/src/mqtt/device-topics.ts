import { decodeTopicId, encodeTopicId, assertIdentityId } from './identity-id.js';
import {
  formatPropertyBag,
  parsePropertyBag,
  type PropertyBag,
  type PropertyBagInput,
  type PropertyBagLimits,
} from './property-bag.js';
import {
  assertRid,
  isValidMethodStatus,
  isValidRid,
  malformedTopic,
  readInteger,
  splitRidQuery,
} from './topic-fields.js';
import { assertTopicName, takeSegment } from './topic-name.js';
import { ProtocolError } from '../errors/index.js';

/** What a device publishes, as the hub reads it with {@link parseDeviceTopic}. */
export type DeviceTopic =
  | {
      /** Telemetry, including security messages (reference/iothub-mqtt.md §3.1). */
      readonly kind: 'd2c';
      readonly deviceId: string;
      /** Present only for a module identity's topic. */
      readonly moduleId?: string;
      readonly properties: PropertyBag;
    }
  | { readonly kind: 'twin-get'; readonly rid: string }
  | { readonly kind: 'twin-patch-reported'; readonly rid: string }
  | { readonly kind: 'method-response'; readonly status: number; readonly rid: string };

const EXPECTED =
  'a device publish topic: devices/{id}[/modules/{m}]/messages/events/{bag}, $iothub/twin/GET/?$rid={rid}, ' +
  '$iothub/twin/PATCH/properties/reported/?$rid={rid} or $iothub/methods/res/{status}/?$rid={rid}';

const EVENTS = 'messages/events';
const TWIN_GET = '$iothub/twin/GET/?';
const TWIN_REPORTED = '$iothub/twin/PATCH/properties/reported/?';
const METHOD_RES = '$iothub/methods/res/';

/**
 * Classifies a topic a device published. D2C topics are accepted with and without the slash after
 * `events` and with one trailing slash after the bag (reference/iothub-mqtt.md §0 item 8, §3.1); ids are
 * decoded and validated; request ids are returned raw, to be echoed byte for byte.
 * Throws `MALFORMED_TOPIC` (or `MALFORMED_PROPERTY_BAG` for a bad bag).
 */
export function parseDeviceTopic(topic: string, limits?: PropertyBagLimits): DeviceTopic {
  assertTopicName(topic);
  if (topic.startsWith('devices/')) return parseD2c(topic, limits);
  if (topic.startsWith(TWIN_GET)) {
    return { kind: 'twin-get', rid: ridOf(topic, topic.slice(TWIN_GET.length)) };
  }
  if (topic.startsWith(TWIN_REPORTED)) {
    return { kind: 'twin-patch-reported', rid: ridOf(topic, topic.slice(TWIN_REPORTED.length)) };
  }
  if (topic.startsWith(METHOD_RES)) {
    const status = takeSegment(topic.slice(METHOD_RES.length));
    const code = status === undefined ? undefined : readInteger(status.segment, true);
    if (
      status === undefined ||
      code === undefined ||
      !isValidMethodStatus(code) ||
      !status.rest.startsWith('?')
    ) {
      return malformedTopic(topic, 'a method response $iothub/methods/res/{integer status}/?$rid={rid}');
    }
    return { kind: 'method-response', status: code, rid: ridOf(topic, status.rest.slice(1)) };
  }
  return malformedTopic(topic, EXPECTED);
}

function ridOf(topic: string, query: string): string {
  const parsed = splitRidQuery(query);
  if (parsed === undefined || !isValidRid(parsed.rid)) {
    return malformedTopic(topic, 'a request topic whose query starts with a valid $rid={rid}');
  }
  return parsed.rid;
}

function parseD2c(topic: string, limits: PropertyBagLimits | undefined): DeviceTopic {
  const device = takeSegment(topic.slice('devices/'.length));
  if (device === undefined) return malformedTopic(topic, EXPECTED);
  let rest = device.rest;
  let moduleSegment: string | undefined;
  if (rest.startsWith('modules/')) {
    const module = takeSegment(rest.slice('modules/'.length));
    if (module === undefined) return malformedTopic(topic, EXPECTED);
    moduleSegment = module.segment;
    rest = module.rest;
  }
  let bag: string;
  if (rest === EVENTS) bag = '';
  else if (rest.startsWith(`${EVENTS}/`)) bag = rest.slice(EVENTS.length + 1);
  else return malformedTopic(topic, EXPECTED);
  const deviceId = decodeTopicId(device.segment, 'device id');
  const properties = parsePropertyBag(bag, limits);
  if (moduleSegment === undefined) return { kind: 'd2c', deviceId, properties };
  return { kind: 'd2c', deviceId, moduleId: decodeTopicId(moduleSegment, 'module id'), properties };
}

/** Identity and properties for {@link buildD2cTopic}. */
export interface D2cTopicInput {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly properties?: PropertyBagInput;
}

/**
 * The telemetry topic a device or module publishes to, with the slash after `events` that every SDK
 * writes: `devices/{d}[/modules/{m}]/messages/events/{bag}`.
 */
export function buildD2cTopic(input: D2cTopicInput): string {
  assertIdentityId(input.deviceId, 'device id');
  let topic = `devices/${encodeTopicId(input.deviceId)}/`;
  if (input.moduleId !== undefined) {
    assertIdentityId(input.moduleId, 'module id');
    topic += `modules/${encodeTopicId(input.moduleId)}/`;
  }
  return `${topic}${EVENTS}/${formatPropertyBag(input.properties ?? {})}`;
}

/** The twin GET request topic `$iothub/twin/GET/?$rid={rid}`. */
export function buildTwinGetTopic(rid: string): string {
  assertRid(rid);
  return `${TWIN_GET}$rid=${rid}`;
}

/** The reported-properties patch topic `$iothub/twin/PATCH/properties/reported/?$rid={rid}`. */
export function buildReportedPatchTopic(rid: string): string {
  assertRid(rid);
  return `${TWIN_REPORTED}$rid=${rid}`;
}

/** Status and request id for {@link buildMethodResponseTopic}. */
export interface MethodResponseTopicInput {
  /** Any 32-bit integer the device's method handler chose. */
  readonly status: number;
  /** The rid from the method request, unchanged. */
  readonly rid: string;
}

/** The direct method response topic `$iothub/methods/res/{status}/?$rid={rid}`. */
export function buildMethodResponseTopic(input: MethodResponseTopicInput): string {
  if (!isValidMethodStatus(input.status)) {
    throw new ProtocolError('MALFORMED_TOPIC', `method status ${input.status} is not a 32-bit integer`);
  }
  assertRid(input.rid);
  return `${METHOD_RES}${input.status}/?$rid=${input.rid}`;
}
