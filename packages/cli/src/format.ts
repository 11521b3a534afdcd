import type { DecodedSecurityMessage, ProtocolError, SecurityEvent } from '@vigil/protocol';

/** One line per event: when, what, and the few facts an operator scans for. */
export function describeEvent(event: SecurityEvent): string {
  const when = event.timeUtc === null ? 'time unknown' : new Date(event.timeUtc).toISOString();
  return `${when}  ${event.category.padEnd(10)} ${event.name.padEnd(24)} ${eventFacts(event)}`;
}

function eventFacts(event: SecurityEvent): string {
  switch (event.kind) {
    case 'network-activity':
      return (
        event.flows
          .slice(0, 3)
          .map((flow) =>
            `${flow.protocol} ${flow.direction ?? ''} ${flow.remoteAddress}${flow.remotePort === undefined ? '' : `:${flow.remotePort}`}`.replace(
              /\s+/g,
              ' ',
            ),
          )
          .join(', ') + more(event.flows.length, 3)
      );
    case 'process':
      return (
        event.processes
          .slice(0, 2)
          .map((process) => `${process.action} ${process.commandLine ?? process.executable ?? '?'}`)
          .join(', ') + more(event.processes.length, 2)
      );
    case 'listening-ports':
      return event.ports.map((port) => `${port.protocol}/${port.localPort}`).join(' ');
    case 'system-information':
      return [
        event.info.osName,
        event.info.osVersion,
        event.info.osInfo,
        event.info.kernelInfo,
        event.info.hostName,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'heartbeat':
      return 'alive';
    case 'baseline':
      return `${event.checks.filter((check) => check.result !== 'pass').length} of ${event.checks.length} checks not passed`;
    case 'log':
      return `${event.records.length} log records`;
    case 'login':
      return event.attempts
        .map(
          (attempt) =>
            `${attempt.result} ${attempt.userName ?? attempt.userId ?? '?'}${attempt.remoteAddress === undefined ? '' : ` from ${attempt.remoteAddress}`}`,
        )
        .join(', ');
    case 'local-users':
      return event.users.map((user) => user.userName).join(', ');
    case 'firewall-configuration':
      return event.rules.map((rule) => `${rule.chainName ?? '?'}:${rule.action}`).join(' ');
    case 'connected-hardware':
      return event.items.map((item) => item.name).join(', ');
    case 'diagnostic':
      return event.entries.map((entry) => `${entry.severity}: ${entry.message}`).join('; ');
    case 'configuration-error':
      return event.errors.map((error) => `${error.errorType} ${error.configurationName}`).join('; ');
    case 'dropped-events':
      return event.queues
        .map((queue) => `${queue.queue}: ${queue.droppedEvents}/${queue.collectedEvents} dropped`)
        .join(', ');
    case 'message-statistics':
      return event.statistics
        .map((stats) => `${stats.messagesSent} sent, ${stats.totalFailed} failed`)
        .join(', ');
  }
}

function more(total: number, shown: number): string {
  return total > shown ? ` (+${total - shown} more)` : '';
}

/** The human report of a decoded message: header, one line per event, then the leniencies used. */
export function describeMessage(message: DecodedSecurityMessage): string {
  const lines = [
    `format ${message.format} · agent ${message.agentId} v${message.agentVersion} · ${message.events.length} event(s)`,
    ...message.events.map((event) => `  ${describeEvent(event)}`),
  ];
  if (message.warnings.length > 0) {
    lines.push(`  ${message.warnings.length} warning(s) — accepted, read as noted:`);
    lines.push(
      ...message.warnings.map((warning) => `    ${warning.path}: ${warning.message} [${warning.code}]`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The human report of a refused message: the code, the reason, and every violation with its path. */
export function describeError(error: ProtocolError): string {
  const lines = [`refused: ${error.code}: ${error.message}`];
  lines.push(...error.violations.map((violation) => `  ${violation.path}: ${violation.message}`));
  return `${lines.join('\n')}\n`;
}
