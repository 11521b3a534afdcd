/**
 * The RTOS output profile: events of the normalised model → FlatBuffers "AzureIoTSecurity" 2.3
 * messages (reference/azure-security-module.md §1.7), sent with `mti=2.3-1-0-0` (§1.8).
 *
 * The schema is narrower than the model, so some facts are adapted or left out:
 * - one `Process` table per event (§1.7), so a process event becomes one wire event per record;
 * - `NetworkActivityCommon.process_id` and `user_id` are uint16: larger ids are sent as 0;
 * - flows and listening ports whose protocol is not TCP/UDP/ICMP, or whose addresses are not one
 *   family, have no slot and are left out;
 * - Login, LocalUsers, FirewallConfiguration and ConnectedHardware have no table and are left out
 *   (the RTOS profile turns their collectors off by default);
 * - the agent's own reports (Diagnostic, ConfigurationError, DroppedEventsStatistics,
 *   MessageStatistics) become records of the module's `Log`, which is where RTOS puts them.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import {
  encodeRtosMessage,
  type RtosEvent,
  type RtosListeningPort,
  type RtosLogLevel,
  type RtosLogRecord,
  type RtosNetworkFlow,
  type RtosPayload,
  type RtosProtocol,
  type RtosSecurityMessage,
  type SecurityEvent,
} from '@vigil/protocol';
import type { MessageEncoder } from '../core/index.js';

/** Options for {@link createRtosEncoder} and {@link toRtosSecurityMessage}. */
export interface RtosEncoderOptions {
  /** `security_module_id`. */
  readonly securityModuleId: string;
  /** `major.minor.patch`, packed into `security_module_version` (§1.6). */
  readonly agentVersion: string;
  /** Minutes east of UTC, rounded to `timezone` hours; default this machine's zone. */
  readonly utcOffsetMinutes?: number;
  readonly newId?: () => string;
  readonly now?: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'icmp'];

/** `3.5.4` → (3 << 24) | (5 << 16) | 4. */
export function packModuleVersion(version: string): number {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return (((major & 0xff) << 24) | ((minor & 0xff) << 16) | (patch & 0xffff)) >>> 0;
}

const fits = (value: number | undefined, bits: 16 | 32): number =>
  value !== undefined && Number.isInteger(value) && value >= 0 && value < 2 ** bits ? value : 0;
const portNumber = (text: string | undefined): number => fits(text === undefined ? 0 : Number(text), 16);
const numericId = (text: string | undefined, bits: 16 | 32): number =>
  text !== undefined && /^\d+$/.test(text) ? fits(Number(text), bits) : 0;

/** The family both addresses share, or undefined. */
function family(local: string | undefined, remote: string | undefined): 4 | 6 | undefined {
  const a = isIP(local ?? '');
  const b = remote === undefined ? a : isIP(remote);
  return a !== 0 && a === b ? (a as 4 | 6) : undefined;
}

function networkPayload(event: Extract<SecurityEvent, { kind: 'network-activity' }>): RtosPayload {
  const v4: RtosNetworkFlow[] = [];
  const v6: RtosNetworkFlow[] = [];
  for (const f of event.flows) {
    const version = family(f.localAddress, f.remoteAddress);
    if (version === undefined || !PROTOCOLS.includes(f.protocol)) continue;
    (version === 4 ? v4 : v6).push({
      localAddress: f.localAddress ?? '',
      remoteAddress: f.remoteAddress,
      common: {
        localPort: portNumber(f.localPort),
        remotePort: portNumber(f.remotePort),
        bytesIn: fits(f.bytesIn, 32),
        bytesOut: fits(f.bytesOut, 32),
        protocol: f.protocol as RtosProtocol,
        processId: fits(f.processId, 16),
        userId: numericId(f.userId, 16),
        ...(f.executable === undefined ? {} : { executable: f.executable }),
        ...(f.commandLine === undefined ? {} : { commandline: f.commandLine }),
      },
    });
  }
  return { type: 'NetworkActivity', ipv4Activity: v4, ipv6Activity: v6 };
}

function portsPayload(event: Extract<SecurityEvent, { kind: 'listening-ports' }>): RtosPayload {
  const v4: RtosListeningPort[] = [];
  const v6: RtosListeningPort[] = [];
  for (const p of event.ports) {
    const version = family(p.localAddress, undefined);
    if (version === undefined || !PROTOCOLS.includes(p.protocol)) continue;
    (version === 4 ? v4 : v6).push({
      localAddress: p.localAddress ?? '',
      localPort: portNumber(p.localPort),
      protocol: p.protocol as RtosProtocol,
    });
  }
  return { type: 'ListeningPorts', ipv4Ports: v4, ipv6Ports: v6 };
}

function record(message: string, level: RtosLogLevel, timeMs: number): RtosLogRecord {
  return { message, level, timestamp: BigInt(Math.floor(timeMs / 1000)), line: 0, filename: 'vigil-agent' };
}

const DIAGNOSTIC_LEVELS = {
  fatal: 'fatal',
  error: 'error',
  warning: 'warn',
  information: 'info',
  debug: 'debug',
} as const;

/** The payloads one model event becomes (none when the schema has no table for it). */
function payloads(event: SecurityEvent, timeMs: number): RtosPayload[] {
  switch (event.kind) {
    case 'network-activity':
      return [networkPayload(event)];
    case 'listening-ports':
      return [portsPayload(event)];
    case 'system-information': {
      const i = event.info;
      const osInfo = i.osInfo ?? ([i.osName, i.osVersion].filter(Boolean).join(' ') || undefined);
      return [
        {
          type: 'SystemInformation',
          ...(osInfo === undefined ? {} : { osInfo }),
          ...(i.kernelInfo === undefined ? {} : { kernelInfo: i.kernelInfo }),
          ...(i.hardwareInfo === undefined ? {} : { hwInfo: i.hardwareInfo }),
        },
      ];
    }
    case 'heartbeat':
      return [{ type: 'Heartbeat' }];
    case 'baseline':
      return [
        {
          type: 'Baseline',
          baselineChecks: event.checks.map((c) => ({
            id: c.checkId,
            result: c.result,
            severity: c.severity ?? 'informational',
            ...(c.error === undefined ? {} : { error: c.error }),
            ...(c.description === undefined ? {} : { description: c.description }),
            ...(c.remediation === undefined ? {} : { remediation: c.remediation }),
          })),
        },
      ];
    case 'process':
      return event.processes.map((p) => ({
        type: 'Process',
        processId: fits(p.processId, 32),
        parentProcessId: fits(p.parentProcessId, 32),
        userId: numericId(p.userId, 32),
        eventType: p.action,
        hitCount: fits(p.hitCount, 32) || 1,
        ...(p.executable === undefined ? {} : { executable: p.executable }),
        ...(p.userName === undefined ? {} : { userName: p.userName }),
        ...(p.commandLine === undefined ? {} : { commandline: p.commandLine }),
      }));
    case 'log':
      return [
        {
          type: 'Log',
          logs: event.records.map((r) => ({
            message: r.message,
            level: r.level,
            timestamp: BigInt(Math.max(0, Math.floor(r.timestamp ?? timeMs / 1000))),
            line: fits(r.line, 32),
            filename: r.filename,
          })),
        },
      ];
    case 'diagnostic':
      return [
        {
          type: 'Log',
          logs: event.entries.map((e) => record(e.message, DIAGNOSTIC_LEVELS[e.severity], timeMs)),
        },
      ];
    case 'configuration-error':
      return [
        {
          type: 'Log',
          logs: event.errors.map((e) =>
            record(`ConfigurationError ${e.errorType} ${e.configurationName}: ${e.message}`, 'warn', timeMs),
          ),
        },
      ];
    case 'dropped-events':
      return [
        {
          type: 'Log',
          logs: event.queues.map((q) =>
            record(
              `DroppedEventsStatistics queue=${q.queue} collected=${q.collectedEvents} dropped=${q.droppedEvents}`,
              'info',
              timeMs,
            ),
          ),
        },
      ];
    case 'message-statistics':
      return [
        {
          type: 'Log',
          logs: event.statistics.map((s) =>
            record(
              `MessageStatistics sent=${s.messagesSent} under4KB=${s.messagesUnder4Kb} failed=${s.totalFailed}`,
              'info',
              timeMs,
            ),
          ),
        },
      ];
    case 'login':
    case 'local-users':
    case 'firewall-configuration':
    case 'connected-hardware':
      return [];
  }
}

/** The FlatBuffers 2.3 message object of `events`. */
export function toRtosSecurityMessage(
  events: readonly SecurityEvent[],
  options: RtosEncoderOptions,
): RtosSecurityMessage {
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? Date.now;
  const out: RtosEvent[] = [];
  for (const event of events) {
    const timeMs = event.timeUtc ?? now();
    for (const [index, payload] of payloads(event, timeMs).entries()) {
      out.push({
        id: index === 0 && UUID.test(event.id) ? event.id.toLowerCase() : newId(),
        time: fits(Math.floor(timeMs / 1000), 32),
        collectionInterval: fits(event.collectionIntervalSeconds, 32),
        payload,
      });
    }
  }
  const offset = options.utcOffsetMinutes ?? -new Date(now()).getTimezoneOffset();
  return {
    securityModuleId: options.securityModuleId,
    securityModuleVersion: packModuleVersion(options.agentVersion),
    timezone: Math.max(-11, Math.min(12, Math.round(offset / 60))),
    events: out,
  };
}

/** A {@link MessageEncoder} writing FlatBuffers 2.3 bodies; the batcher enforces the size limit. */
export function createRtosEncoder(options: RtosEncoderOptions): MessageEncoder {
  return (events) =>
    encodeRtosMessage(toRtosSecurityMessage(events, options), { maxBytes: Number.MAX_SAFE_INTEGER });
}
