/**
 * Cloud-to-device messages (reference/iothub-mqtt.md §3.2): per-device queues with TTL and depth,
 * delivery over MQTT settled by PUBACK, purge and expiry.
 */
export { createC2d, type C2d, type C2dOptions, type C2dSendInput, type C2dPurgeResult } from './c2d.js';
export {
  deliveryBag,
  SETTABLE_C2D_PROPERTIES,
  C2D_ACK_VALUES,
  MAX_C2D_APPLICATION_PROPERTIES,
  type SettableC2dProperty,
} from './c2d-properties.js';
