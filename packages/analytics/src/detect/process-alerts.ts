import { COMMAND_LINE_RULES, type CommandLineRule } from '../catalogue/command-line-rules.js';
import type { AlertFinding } from '../findings/finding.js';
import { eventTime, type DeviceMessage } from './context.js';
import { toEvidence } from './evidence.js';

/** The rules whose patterns match a command line. */
export function matchCommandLine(
  commandLine: string,
  rules: readonly CommandLineRule[] = COMMAND_LINE_RULES,
): CommandLineRule[] {
  return rules.filter((rule) => rule.patterns.some((pattern) => pattern.test(commandLine)));
}

/**
 * Command-line detections over started processes (ProcessCreate, FlatBuffers `exec`). One alert per
 * rule and executable, so a miner restarted every minute stays one alert with many occurrences.
 */
export function detectProcessAlerts(input: DeviceMessage): AlertFinding[] {
  const findings: AlertFinding[] = [];
  for (const event of input.message.events) {
    if (event.kind !== 'process') continue;
    for (const process of event.processes) {
      if (process.action === 'exit') continue;
      const commandLine = process.commandLine ?? process.executable;
      if (commandLine === undefined || commandLine === '') continue;
      for (const rule of matchCommandLine(commandLine)) {
        findings.push({
          kind: 'alert',
          typeId: rule.typeId,
          deviceId: input.deviceId,
          key: process.executable ?? commandLine.split(/\s+/, 1)[0] ?? '',
          severity: rule.severity,
          title: rule.title,
          at: eventTime(event.timeUtc, input.receivedAt),
          evidence: toEvidence({ event: event.name, eventId: event.id, rule: rule.rule, ...process }),
          remediation: rule.remediation,
        });
      }
    }
  }
  return findings;
}
