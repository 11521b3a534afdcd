/**
 * @vigil/sim: a fleet of simulated devices speaking the real IoT Hub MQTT dialect — JSON-profile
 * security agents, plain telemetry sensors — with benign behaviour and named attack scenarios,
 * deterministic for a given seed.
 */
export { createRandom, type Random } from './random.js';
export {
  DEVICE_PROFILES,
  type DeviceBehaviour,
  type DeviceProfile,
  type OutgoingMessage,
} from './behaviour/behaviour.js';
export {
  MESSAGE_SCENARIOS,
  SCENARIO_DESCRIPTIONS,
  DEMO_SUSPICIOUS_ADDRESSES,
  type MessageScenario,
} from './behaviour/scenarios.js';
export { jsonAgentBehaviour, type JsonAgentOptions } from './behaviour/json-agent.js';
export { telemetryBehaviour } from './behaviour/telemetry.js';
export * from './messages/json-message.js';
export {
  connectMqttDevice,
  type ConnectOptions,
  type HubEndpoint,
  type MqttDevice,
  type SimulatedIdentity,
} from './device/mqtt-device.js';
export {
  startFleet,
  type Fleet,
  type FleetDevice,
  type FleetEvent,
  type FleetOptions,
  type FleetStats,
} from './fleet.js';
export { DEMO_FLEET, type DemoDeviceSpec } from './demo-fleet.js';
