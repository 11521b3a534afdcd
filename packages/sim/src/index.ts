/**
 * @vigil/sim: a fleet of simulated devices speaking the real IoT Hub MQTT dialect — JSON-profile
 * security agents, Azure RTOS devices sending FlatBuffers, plain telemetry sensors — with benign
 * behaviour and named attack scenarios (message and hub), deterministic for a given seed.
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
  HUB_SCENARIOS,
  SCENARIOS,
  SCENARIO_DESCRIPTIONS,
  DEMO_SUSPICIOUS_ADDRESSES,
  isHubScenario,
  type HubScenario,
  type MessageScenario,
  type Scenario,
} from './behaviour/scenarios.js';
export { scenarioProblem } from './behaviour/compatibility.js';
export { jsonAgentBehaviour, type JsonAgentOptions } from './behaviour/json-agent.js';
export {
  rtosDeviceBehaviour,
  RTOS_DEFAULT_INTERVALS,
  RTOS_MESSAGE_SCENARIOS,
  type RtosDeviceOptions,
} from './behaviour/rtos-device.js';
export * from './messages/rtos-message.js';
export {
  playHubScenario,
  type HubAttackContext,
  type HubAttackOutcome,
  type HubServiceApi,
} from './attacks/hub-attacks.js';
export { ROGUE_CA_CERTIFICATES } from './attacks/rogue-ca.js';
export { telemetryBehaviour } from './behaviour/telemetry.js';
export * from './messages/json-message.js';
export {
  connectMqttDevice,
  SUBACK_FAILURE,
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
