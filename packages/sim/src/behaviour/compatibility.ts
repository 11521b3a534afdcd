import type { DeviceProfile } from './behaviour.js';
import { RTOS_MESSAGE_SCENARIOS } from './rtos-device.js';
import { isHubScenario, type Scenario } from './scenarios.js';

/**
 * Why a device of `profile` cannot play `scenario`, or undefined when it can. Hub scenarios suit every
 * profile; message scenarios need a security agent, and RTOS devices report network flows only.
 */
export function scenarioProblem(profile: DeviceProfile, scenario: Scenario): string | undefined {
  if (isHubScenario(scenario)) return undefined;
  if (profile === 'telemetry') {
    return `telemetry devices send no security messages: ${scenario} needs --profile json-agent or rtos`;
  }
  if (profile === 'rtos' && !RTOS_MESSAGE_SCENARIOS.includes(scenario)) {
    return `RTOS devices report network activity, system information and heartbeats only: ${scenario} needs --profile json-agent (rtos plays ${RTOS_MESSAGE_SCENARIOS.join(', ')} and the hub scenarios)`;
  }
  return undefined;
}
