import { ALERT_TYPES } from '../catalogue/alert-types.js';
import type { AlertFinding } from '../findings/finding.js';
import { eventTime, type DeviceMessage, type ThreatIntelLookup } from './context.js';
import { toEvidence } from './evidence.js';

/**
 * Flags connections and flows to addresses on a threat-intelligence feed (the one built-in device alert
 * the RTOS module also supports, reference §4.2). One alert per remote address.
 */
export function detectSuspiciousIp(input: DeviceMessage, threatIntel: ThreatIntelLookup): AlertFinding[] {
  const type = ALERT_TYPES.suspiciousIp;
  const findings: AlertFinding[] = [];
  for (const event of input.message.events) {
    if (event.kind !== 'network-activity') continue;
    for (const flow of event.flows) {
      const hit = threatIntel.lookup(flow.remoteAddress);
      if (hit === undefined) continue;
      findings.push({
        kind: 'alert',
        typeId: type.typeId,
        deviceId: input.deviceId,
        key: flow.remoteAddress,
        severity: type.severity,
        title: type.title,
        at: eventTime(event.timeUtc, input.receivedAt),
        evidence: toEvidence({
          event: event.name,
          eventId: event.id,
          feed: hit.feed,
          feedEntry: hit.entry,
          ...flow,
        }),
        remediation: type.remediation,
      });
    }
  }
  return findings;
}
