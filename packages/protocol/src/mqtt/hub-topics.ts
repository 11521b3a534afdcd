import { ProtocolError } from '../errors/index.js';
import { assertIdentityId, decodeTopicId, encodeTopicId } from './identity-id.js';
import {
  formatPropertyBag,
  parsePropertyBag,
  type PropertyBag,
  type PropertyBagInput,
  type PropertyBagLimits,
} from './property-bag.js';
import {
  assertInputName,
  assertMethodName,
  assertRid,
  isValidRid,
  isValidTwinStatus,
  isValidVersion,
  malformedTopic,
  readInteger,
  splitRidQuery,
} from './topic-fields.js';
import { assertTopicName, takeSegment } from './topic-name.js';

/** What the hub publishes to a device, as the device reads it with {@link parseHubTopic}. */
export type HubTopic =
  | { readonly kind: 'c2d'; readonly deviceId: string; readonly properties: PropertyBag }
  | {
      readonly kind: 'module-input';
      readonly deviceId: string;
      readonly moduleId: string;
      readonly inputName: string;
      readonly properties: PropertyBag;
    }
  | {
      readonly kind: 'twin-response';
      readonly status: number;
      readonly rid: string;
      /** The new reported `$version`, sent with a 204 answer to a reported patch. */
      readonly version?: number;
    }
  | {
      readonly kind: 'twin-desired';
      /** Absent only when a hub leaves it out (Node then reads `$version` from the body). */
      readonly version?: number;
    }
  | { readonly kind: 'method-request'; readonly methodName: string; readonly rid: string };

const EXPECTED =
  'a hub publish topic: devices/{id}/messages/devicebound/{bag}, devices/{id}/modules/{m}/inputs/{input}/{bag}, ' +
  '$iothub/twin/res/{status}/?$rid={rid}, $iothub/twin/PATCH/properties/desired/?$version={v} or ' +
  '$iothub/methods/POST/{name}/?$rid={rid}';

const DEVICEBOUND = 'messages/devicebound';
const TWIN_RES = '$iothub/twin/res/';
const DESIRED = '$iothub/twin/PATCH/properties/desired/';
const METHOD_POST = '$iothub/methods/POST/';

/**
 * Classifies a topic a device received from the hub. Lenient where hubs differ: C2D is accepted with or
 * without the slash after `devicebound` (edgeHub leaves it out), and a desired push without `$version`.
 * Throws `MALFORMED_TOPIC`, `MALFORMED_PROPERTY_BAG` or `INVALID_METHOD_NAME`.
 */
export function parseHubTopic(topic: string, limits?: PropertyBagLimits): HubTopic {
  assertTopicName(topic);
  if (topic.startsWith('devices/')) return parseDevicebound(topic, limits);
  if (topic.startsWith(TWIN_RES)) return parseTwinResponse(topic);
  if (topic.startsWith(DESIRED)) {
    const query = topic.slice(DESIRED.length);
    if (query === '') return { kind: 'twin-desired' };
    const version = query.startsWith('?$version=')
      ? readInteger(query.slice('?$version='.length), false)
      : undefined;
    if (version === undefined || !isValidVersion(version)) {
      return malformedTopic(topic, 'a desired push $iothub/twin/PATCH/properties/desired/?$version={v}');
    }
    return { kind: 'twin-desired', version };
  }
  if (topic.startsWith(METHOD_POST)) {
    const name = takeSegment(topic.slice(METHOD_POST.length));
    // Both C SDKs take everything after `/?$rid=` as the rid (reference/iothub-mqtt.md §0 item 5).
    if (name === undefined || !name.rest.startsWith('?$rid=')) {
      return malformedTopic(topic, 'a method request $iothub/methods/POST/{name}/?$rid={rid}');
    }
    const rid = name.rest.slice('?$rid='.length);
    if (!isValidRid(rid)) return malformedTopic(topic, 'a method request with a valid $rid');
    assertMethodName(name.segment);
    return { kind: 'method-request', methodName: name.segment, rid };
  }
  return malformedTopic(topic, EXPECTED);
}

function parseTwinResponse(topic: string): HubTopic {
  const expected = 'a twin response $iothub/twin/res/{status}/?$rid={rid}[&$version={v}]';
  const status = takeSegment(topic.slice(TWIN_RES.length));
  const code = status === undefined ? undefined : readInteger(status.segment, false);
  if (
    status === undefined ||
    code === undefined ||
    !isValidTwinStatus(code) ||
    !status.rest.startsWith('?')
  ) {
    return malformedTopic(topic, expected);
  }
  const query = splitRidQuery(status.rest.slice(1));
  if (query === undefined || !isValidRid(query.rid)) return malformedTopic(topic, expected);
  const versionText = query.rest.get('$version');
  if (versionText === undefined) return { kind: 'twin-response', status: code, rid: query.rid };
  const version = readInteger(versionText, false);
  if (version === undefined || !isValidVersion(version)) return malformedTopic(topic, expected);
  return { kind: 'twin-response', status: code, rid: query.rid, version };
}

function parseDevicebound(topic: string, limits: PropertyBagLimits | undefined): HubTopic {
  const device = takeSegment(topic.slice('devices/'.length));
  if (device === undefined) return malformedTopic(topic, EXPECTED);
  const rest = device.rest;
  if (rest === DEVICEBOUND || rest.startsWith(`${DEVICEBOUND}/`)) {
    const deviceId = decodeTopicId(device.segment, 'device id');
    const properties = parsePropertyBag(rest.slice(DEVICEBOUND.length + 1), limits);
    return { kind: 'c2d', deviceId, properties };
  }
  const modules = rest.startsWith('modules/') ? takeSegment(rest.slice('modules/'.length)) : undefined;
  if (modules === undefined || !modules.rest.startsWith('inputs/')) return malformedTopic(topic, EXPECTED);
  const afterInputs = modules.rest.slice('inputs/'.length);
  const slash = afterInputs.indexOf('/');
  const inputName = slash < 0 ? afterInputs : afterInputs.slice(0, slash);
  const bag = slash < 0 ? '' : afterInputs.slice(slash + 1);
  assertInputName(inputName);
  return {
    kind: 'module-input',
    deviceId: decodeTopicId(device.segment, 'device id'),
    moduleId: decodeTopicId(modules.segment, 'module id'),
    inputName,
    properties: parsePropertyBag(bag, limits),
  };
}

/** Device and properties for {@link buildC2dTopic}. */
export interface C2dTopicInput {
  readonly deviceId: string;
  readonly properties?: PropertyBagInput;
}

/**
 * The C2D delivery topic `devices/{d}/messages/devicebound/{bag}`, keeping the slash when the bag is
 * empty: the Node SDK's dispatch regex requires it (reference/iothub-mqtt.md §0 item 5).
 */
export function buildC2dTopic(input: C2dTopicInput): string {
  assertIdentityId(input.deviceId, 'device id');
  return `devices/${encodeTopicId(input.deviceId)}/${DEVICEBOUND}/${formatPropertyBag(input.properties ?? {})}`;
}

/** Identity, input and properties for {@link buildModuleInputTopic}. */
export interface ModuleInputTopicInput {
  readonly deviceId: string;
  readonly moduleId: string;
  readonly inputName: string;
  readonly properties?: PropertyBagInput;
}

/** The module input delivery topic `devices/{d}/modules/{m}/inputs/{input}/{bag}` (edgeHub's template). */
export function buildModuleInputTopic(input: ModuleInputTopicInput): string {
  assertIdentityId(input.deviceId, 'device id');
  assertIdentityId(input.moduleId, 'module id');
  assertInputName(input.inputName);
  return (
    `devices/${encodeTopicId(input.deviceId)}/modules/${encodeTopicId(input.moduleId)}/inputs/` +
    `${input.inputName}/${formatPropertyBag(input.properties ?? {})}`
  );
}

/** Status, echoed rid and optional new version for {@link buildTwinResponseTopic}. */
export interface TwinResponseTopicInput {
  /** 200 (GET), 204 (reported patch), 4xx/5xx errors. */
  readonly status: number;
  readonly rid: string;
  readonly version?: number;
}

/**
 * The twin response topic `$iothub/twin/res/{status}/?$rid={rid}[&$version={v}]`, `$rid` first: the C SDK
 * requires the segment to begin with `?$rid=` (reference/iothub-mqtt.md §0 item 5).
 */
export function buildTwinResponseTopic(input: TwinResponseTopicInput): string {
  if (!isValidTwinStatus(input.status)) {
    throw new ProtocolError('MALFORMED_TOPIC', `twin status ${input.status} is not an integer in 100–599`);
  }
  assertRid(input.rid);
  const topic = `${TWIN_RES}${input.status}/?$rid=${input.rid}`;
  if (input.version === undefined) return topic;
  return `${topic}&$version=${checkedVersion(input.version)}`;
}

/**
 * The desired-properties push topic `$iothub/twin/PATCH/properties/desired/?$version={v}`; Embedded C cannot
 * parse it without the version (reference/iothub-mqtt.md §0 item 5).
 */
export function buildDesiredPatchTopic(version: number): string {
  return `${DESIRED}?$version=${checkedVersion(version)}`;
}

/** Method name and hub-chosen rid for {@link buildMethodRequestTopic}. */
export interface MethodRequestTopicInput {
  readonly methodName: string;
  /** A decimal or hex counter is safest for C clients (reference/iothub-mqtt.md §3.4). */
  readonly rid: string;
}

/**
 * The method request topic `$iothub/methods/POST/{name}/?$rid={rid}` with nothing after the rid: both C SDKs
 * echo everything after `$rid=` (reference/iothub-mqtt.md §0 item 5). Throws `INVALID_METHOD_NAME`.
 */
export function buildMethodRequestTopic(input: MethodRequestTopicInput): string {
  assertMethodName(input.methodName);
  assertRid(input.rid);
  return `${METHOD_POST}${input.methodName}/?$rid=${input.rid}`;
}

function checkedVersion(version: number): number {
  if (!isValidVersion(version)) {
    throw new ProtocolError('MALFORMED_TOPIC', `twin version ${version} is not a non-negative safe integer`);
  }
  return version;
}
