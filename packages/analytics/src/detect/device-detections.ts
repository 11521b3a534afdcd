import type { CustomRule } from '@vigil/storage';
import type { Finding } from '../findings/finding.js';
import { detectAllowlistViolations } from './allowlists.js';
import {
  DEFAULT_BRUTE_FORCE,
  detectBruteForce,
  emptyBruteForceState,
  type BruteForceOptions,
  type BruteForceState,
} from './brute-force.js';
import type { DeviceMessage, ThreatIntelLookup } from './context.js';
import { assessDevicePosture } from './device-posture.js';
import { detectProcessAlerts } from './process-alerts.js';
import { detectSuspiciousIp } from './suspicious-ip.js';

/** What the detections remember about a device between its messages (JSON, stored per device). */
export interface DeviceDetectionState {
  readonly bruteForce: BruteForceState;
}

/** A device's state before its first message. */
export function emptyDeviceDetectionState(): DeviceDetectionState {
  return { bruteForce: emptyBruteForceState() };
}

/** What the per-message detections need besides the message. */
export interface DeviceDetectionContext {
  readonly state: DeviceDetectionState;
  /** The rules of the device's security group (allow-lists apply per message). */
  readonly groupRules?: readonly CustomRule[];
  readonly threatIntel?: ThreatIntelLookup;
  readonly bruteForce?: BruteForceOptions;
}

/**
 * Every per-message detection for one device message: command-line alerts, threat-intelligence
 * matches, brute force, allow-list custom alerts, and the device's posture recommendations. Pure: the
 * new state is returned, nothing is written.
 */
export function detectDeviceMessage(
  input: DeviceMessage,
  context: DeviceDetectionContext,
): { findings: Finding[]; state: DeviceDetectionState } {
  const bruteForce = detectBruteForce(
    input,
    context.state.bruteForce,
    context.bruteForce ?? DEFAULT_BRUTE_FORCE,
  );
  const findings: Finding[] = [
    ...detectProcessAlerts(input),
    ...(context.threatIntel === undefined ? [] : detectSuspiciousIp(input, context.threatIntel)),
    ...bruteForce.findings,
    ...detectAllowlistViolations(input, context.groupRules ?? []),
    ...assessDevicePosture(input),
  ];
  return { findings, state: { bruteForce: bruteForce.state } };
}
