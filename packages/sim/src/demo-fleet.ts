import type { DeviceProfile } from './behaviour/behaviour.js';
import type { Scenario } from './behaviour/scenarios.js';

/** A device of the demo fleet before it has credentials (the demo registers it and gets its key). */
export interface DemoDeviceSpec {
  readonly deviceId: string;
  /**
   * `azureiotsecurity` for JSON-profile agents: the security module connects as the device's module
   * (reference §2.5). RTOS devices and sensors connect as the device (§1.8).
   */
  readonly moduleId?: string;
  readonly profile: DeviceProfile;
  readonly scenario?: Scenario;
}

const SECURITY_MODULE_ID = 'azureiotsecurity';

/**
 * The fleet `vigil demo` runs: benign gateways, RTOS devices and sensors, plus one device per attack
 * scenario (message scenarios on agents and an RTOS device, hub scenarios on any kind), so every
 * built-in detection has something to find within the first minute.
 */
export const DEMO_FLEET: readonly DemoDeviceSpec[] = [
  { deviceId: 'gateway-north', moduleId: SECURITY_MODULE_ID, profile: 'json-agent' },
  { deviceId: 'gateway-south', moduleId: SECURITY_MODULE_ID, profile: 'json-agent' },
  { deviceId: 'kiosk-lobby', moduleId: SECURITY_MODULE_ID, profile: 'json-agent', scenario: 'brute-force' },
  {
    deviceId: 'camera-dock-3',
    moduleId: SECURITY_MODULE_ID,
    profile: 'json-agent',
    scenario: 'suspicious-ip',
  },
  { deviceId: 'hmi-line-2', moduleId: SECURITY_MODULE_ID, profile: 'json-agent', scenario: 'miner-process' },
  { deviceId: 'router-yard', moduleId: SECURITY_MODULE_ID, profile: 'json-agent', scenario: 'reverse-shell' },
  {
    deviceId: 'plc-press-7',
    moduleId: SECURITY_MODULE_ID,
    profile: 'json-agent',
    scenario: 'permissive-firewall',
  },
  { deviceId: 'nvr-east', moduleId: SECURITY_MODULE_ID, profile: 'json-agent', scenario: 'connection-spike' },
  {
    deviceId: 'gateway-west',
    moduleId: SECURITY_MODULE_ID,
    profile: 'json-agent',
    scenario: 'unauthorized-topics',
  },
  { deviceId: 'meter-hall-1', profile: 'rtos' },
  { deviceId: 'meter-hall-2', profile: 'rtos' },
  { deviceId: 'valve-line-4', profile: 'rtos', scenario: 'suspicious-ip' },
  { deviceId: 'badge-reader-2', profile: 'rtos', scenario: 'expired-sas' },
  { deviceId: 'sensor-cold-room', profile: 'telemetry' },
  { deviceId: 'sensor-boiler', profile: 'telemetry' },
  { deviceId: 'sensor-freezer', profile: 'telemetry', scenario: 'forged-sas' },
  // Certificate churn goes through the service API, as a stolen admin token would be used.
  { deviceId: 'maint-laptop', profile: 'telemetry', scenario: 'certificate-churn' },
];
