/**
 * The IoT Hub device MQTT dialect (reference/iothub-mqtt.md §3): topic parsers for the hub
 * ({@link parseDeviceTopic}, {@link parseSubscriptionFilter}) and the device ({@link parseHubTopic}),
 * builders for both sides, property bags, and the security message marker. Pure functions, no I/O.
 */
export {
  MAX_IDENTITY_ID_LENGTH,
  isValidIdentityId,
  identityIdProblem,
  encodeTopicId,
  decodeTopicId,
} from './identity-id.js';
export {
  SYSTEM_PROPERTY_TABLE,
  type SystemProperties,
  type SystemPropertyEntry,
} from './system-properties.js';
export {
  DEFAULT_PROPERTY_BAG_LIMITS,
  parsePropertyBag,
  formatPropertyBag,
  type PropertyBag,
  type PropertyBagInput,
  type PropertyBagLimits,
} from './property-bag.js';
export { SECURITY_INTERFACE_ID, MTI_PROPERTY, isSecurityMessage, getMti } from './security.js';
export { MAX_RID_LENGTH, MAX_METHOD_NAME_LENGTH, isValidRid, methodNameProblem } from './topic-fields.js';
export { MAX_TOPIC_BYTES } from './topic-name.js';
export {
  parseDeviceTopic,
  buildD2cTopic,
  buildTwinGetTopic,
  buildReportedPatchTopic,
  buildMethodResponseTopic,
  type DeviceTopic,
  type D2cTopicInput,
  type MethodResponseTopicInput,
} from './device-topics.js';
export {
  parseHubTopic,
  buildC2dTopic,
  buildModuleInputTopic,
  buildTwinResponseTopic,
  buildDesiredPatchTopic,
  buildMethodRequestTopic,
  type HubTopic,
  type C2dTopicInput,
  type ModuleInputTopicInput,
  type TwinResponseTopicInput,
  type MethodRequestTopicInput,
} from './hub-topics.js';
export {
  TWIN_RESPONSES_FILTER,
  TWIN_DESIRED_FILTER,
  METHODS_FILTER,
  C2D_ANY_DEVICE_FILTER,
  parseSubscriptionFilter,
  buildSubscriptionFilter,
  buildC2dSubscription,
  buildModuleInputsSubscription,
  type SubscriptionFilter,
} from './subscriptions.js';
