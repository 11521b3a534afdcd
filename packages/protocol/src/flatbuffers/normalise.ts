/**
 * `normaliseRtosMessage`: an RTOS FlatBuffers message → Vigil's event model (packages/protocol/src/events/
 * model.ts), the same types the JSON 1.0 decoder produces. Mapping choices forced by the wire
 * (reference/azure-security-module.md §1.7): events carry no category, so network activity, process
 * and log events count as `Triggered` and the rest as `Periodic`; flows carry bytes both ways instead of
 * a direction; zero in a field RTOS never fills (process and user ids of a flow, log line) means unknown.
 */
import type {
  BaselineCheck,
  DecodeWarning,
  DecodedSecurityMessage,
  ListeningPort,
  LogRecord,
  NetworkFlow,
  SecurityEvent,
  SecurityEventCategory,
  SecurityEventHeader,
  SystemInformation,
} from '../events/index.js';
import type {
  RtosBaselineCheck,
  RtosEvent,
  RtosListeningPort,
  RtosLogRecord,
  RtosNetworkFlow,
  RtosPayloadType,
  RtosSecurityMessage,
} from './rtos-message.js';

/** Codes of the {@link DecodeWarning}s normalisation can emit, for counting. */
export const RTOS_WARNING_CODES = [
  /** An event `time` of 0: the device never set it; `timeUtc` is null. */
  'TIME_MISSING',
  /** A log record timestamp past 2^53: left out rather than rounded. */
  'TIMESTAMP_OUT_OF_RANGE',
] as const;

/** One of {@link RTOS_WARNING_CODES}. */
export type RtosWarningCode = (typeof RTOS_WARNING_CODES)[number];

/** Options for {@link normaliseRtosMessage}. */
export interface NormaliseRtosOptions {
  /** The `mti` schema version the message came with (default `2.3`). */
  readonly schemaVersion?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const CATEGORY: Record<RtosPayloadType, SecurityEventCategory> = {
  NetworkActivity: 'Triggered',
  Process: 'Triggered',
  Log: 'Triggered',
  SystemInformation: 'Periodic',
  ListeningPorts: 'Periodic',
  Heartbeat: 'Periodic',
  Baseline: 'Periodic',
};

function flow(f: RtosNetworkFlow, ipVersion: 4 | 6): NetworkFlow {
  const c = f.common;
  const out: Mutable<NetworkFlow> = {
    ipVersion,
    protocol: c.protocol,
    localAddress: f.localAddress,
    remoteAddress: f.remoteAddress,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
  };
  // ICMP has no ports; RTOS writes 0 (§1.5)
  if (c.protocol !== 'icmp') {
    out.localPort = String(c.localPort);
    out.remotePort = String(c.remotePort);
  }
  if (c.processId !== 0) out.processId = c.processId;
  if (c.userId !== 0) out.userId = String(c.userId);
  if (c.executable !== undefined) out.executable = c.executable;
  if (c.commandline !== undefined) out.commandLine = c.commandline;
  return out;
}

function port(p: RtosListeningPort, ipVersion: 4 | 6): ListeningPort {
  return { ipVersion, protocol: p.protocol, localAddress: p.localAddress, localPort: String(p.localPort) };
}

function check(c: RtosBaselineCheck): BaselineCheck {
  const out: Mutable<BaselineCheck> = { checkId: c.id, result: c.result, severity: c.severity };
  if (c.description !== undefined) out.description = c.description;
  if (c.error !== undefined) out.error = c.error;
  if (c.remediation !== undefined) out.remediation = c.remediation;
  return out;
}

function warn(warnings: DecodeWarning[], path: string, code: RtosWarningCode, message: string): void {
  warnings.push({ path, code, message });
}

function logRecord(r: RtosLogRecord, path: string, warnings: DecodeWarning[]): LogRecord {
  const out: Mutable<LogRecord> = { message: r.message, level: r.level, filename: r.filename };
  if (r.timestamp > BigInt(Number.MAX_SAFE_INTEGER)) {
    warn(
      warnings,
      `${path}.timestamp`,
      'TIMESTAMP_OUT_OF_RANGE',
      `log timestamp ${r.timestamp} is beyond any real time and was left out`,
    );
  } else if (r.timestamp !== 0n) {
    out.timestamp = Number(r.timestamp);
  }
  if (r.line !== 0) out.line = r.line;
  return out;
}

function event(e: RtosEvent, path: string, warnings: DecodeWarning[]): SecurityEvent {
  const p = e.payload;
  if (e.time === 0) {
    warn(warnings, `${path}.time`, 'TIME_MISSING', 'event time is 0 (unset)');
  }
  const header: Mutable<SecurityEventHeader> = {
    id: e.id,
    name: p.type,
    eventType: 'Security',
    category: CATEGORY[p.type],
    timeUtc: e.time === 0 ? null : e.time * 1000,
    format: 'flatbuffers-2.3',
  };
  if (e.collectionInterval !== 0) header.collectionIntervalSeconds = e.collectionInterval;
  switch (p.type) {
    case 'NetworkActivity':
      return {
        ...header,
        kind: 'network-activity',
        flows: [...p.ipv4Activity.map((f) => flow(f, 4)), ...p.ipv6Activity.map((f) => flow(f, 6))],
      };
    case 'SystemInformation': {
      const info: Mutable<SystemInformation> = {};
      if (p.osInfo !== undefined) {
        info.osInfo = p.osInfo;
        // RTOS writes "Azure RTOS <ThreadX major>.<minor>" (reference §1.3); split it the way JSON agents
        // send OSName/OSVersion so posture checks see one shape.
        const rtos = /^(Azure RTOS) (\d+\.\d+)$/.exec(p.osInfo);
        if (rtos) {
          info.osName = rtos[1];
          info.osVersion = rtos[2];
        }
      }
      if (p.kernelInfo !== undefined) info.kernelInfo = p.kernelInfo;
      if (p.hwInfo !== undefined) info.hardwareInfo = p.hwInfo;
      return { ...header, kind: 'system-information', info };
    }
    case 'Heartbeat':
      return { ...header, kind: 'heartbeat' };
    case 'ListeningPorts':
      return {
        ...header,
        kind: 'listening-ports',
        ports: [...p.ipv4Ports.map((x) => port(x, 4)), ...p.ipv6Ports.map((x) => port(x, 6))],
      };
    case 'Baseline':
      return { ...header, kind: 'baseline', checks: p.baselineChecks.map(check) };
    case 'Process': {
      const record: Mutable<SecurityEventProcess> = {
        action: p.eventType,
        processId: p.processId,
        parentProcessId: p.parentProcessId,
        userId: String(p.userId),
        hitCount: p.hitCount,
      };
      if (p.executable !== undefined) record.executable = p.executable;
      if (p.userName !== undefined) record.userName = p.userName;
      if (p.commandline !== undefined) record.commandLine = p.commandline;
      return { ...header, kind: 'process', processes: [record] };
    }
    case 'Log':
      return {
        ...header,
        kind: 'log',
        records: p.logs.map((r, i) => logRecord(r, `${path}.payload.logs[${i}]`, warnings)),
      };
  }
}

type SecurityEventProcess = Extract<SecurityEvent, { kind: 'process' }>['processes'][number];

/**
 * Maps a decoded RTOS message onto the event model. Never throws; oddities it tolerates (an unset event
 * time, an impossible log timestamp) become `warnings`.
 */
export function normaliseRtosMessage(
  message: RtosSecurityMessage,
  options: NormaliseRtosOptions = {},
): DecodedSecurityMessage {
  const warnings: DecodeWarning[] = [];
  const events = message.events.map((e, i) => event(e, `$.events[${i}]`, warnings));
  return {
    format: 'flatbuffers-2.3',
    agentId: message.securityModuleId,
    agentVersion: String(message.securityModuleVersion),
    schemaVersion: options.schemaVersion ?? '2.3',
    events,
    warnings,
  };
}
