/**
 * Payload items of JSON schema 1.0 (reference/azure-security-module.md §2.2) from the normalised
 * event model. Fields the schema requires but a Linux machine cannot supply get a documented filler,
 * so every message passes strict validation:
 * - ProcessTerminate `ExitStatus`: `/proc` keeps no exit status → {@link UNKNOWN_EXIT_STATUS}, with
 *   `ExtraDetails.ExitStatusKnown = "false"`;
 * - ConnectionCreate `ProcessId` / `Executable` of a socket no process holds (TIME_WAIT, another
 *   namespace) → `0` and `""`, as the legacy agents' aggregated events clear them (§2.3);
 * - OSBaseline `Error` of a check that ran fine → `""`.
 * Values the schema types as IP addresses are left out (optional) or the item skipped (required)
 * when they are not addresses, and counted by the caller.
 */
import { isIP } from 'node:net';
import type {
  BaselineCheck,
  ExtraDetails,
  FirewallRule,
  ListeningPort,
  LocalUser,
  LoginAttempt,
  LogRecord,
  NetworkFlow,
  ProcessRecord,
  SystemInformation,
  WireConnectionCreatePayload,
  WireDiagnosticPayload,
  WireFirewallConfigurationPayload,
  WireListeningPortsPayload,
  WireLocalUsersPayload,
  WireLoginPayload,
  WireOsBaselinePayload,
  WireProcessCreatePayload,
  WireProcessTerminatePayload,
  WireSystemInformationPayload,
} from '@vigil/protocol';

/** `ExitStatus` sent for a process whose exit status the machine did not keep. */
export const UNKNOWN_EXIT_STATUS = -1;

/** Merges detail maps, leaving out empty results (the field is optional). */
export function details(...parts: (ExtraDetails | Record<string, string | undefined> | undefined)[]) {
  const out: Record<string, string> = {};
  for (const part of parts) {
    if (part === undefined) continue;
    for (const [key, value] of Object.entries(part)) if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The address when it is one (schema `ip`), else undefined. */
function ipOrUndefined(text: string | undefined): string | undefined {
  return text !== undefined && isIP(text) !== 0 ? text : undefined;
}

const upper = (protocol: string): string => protocol.toUpperCase();
const numberText = (value: number | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

/** One ConnectionCreate item; undefined when the remote address is not an address. */
export function connectionItem(flow: NetworkFlow): WireConnectionCreatePayload | undefined {
  const remote = ipOrUndefined(flow.remoteAddress);
  if (remote === undefined) return undefined;
  return {
    RemoteAddress: remote,
    RemotePort: flow.remotePort ?? '',
    LocalAddress: ipOrUndefined(flow.localAddress),
    LocalPort: flow.localPort,
    // A flow without a direction (RTOS-style byte counters) was seen from this side: outbound.
    Direction: flow.direction === 'in' ? 'In' : 'Out',
    Protocol: upper(flow.protocol),
    ProcessId: flow.processId ?? 0,
    UserId: flow.userId,
    Executable: flow.executable ?? '',
    CommandLine: flow.commandLine,
    ExtraDetails: details(flow.extraDetails, {
      BytesIn: numberText(flow.bytesIn),
      BytesOut: numberText(flow.bytesOut),
    }),
  };
}

/** One ProcessCreate item (fork and exec). */
export function processCreateItem(r: ProcessRecord): WireProcessCreatePayload {
  return {
    Executable: r.executable ?? '',
    ProcessId: r.processId ?? 0,
    ParentProcessId: r.parentProcessId ?? 0,
    UserId: r.userId ?? '',
    UserName: r.userName,
    CommandLine: r.commandLine ?? '',
    ExtraDetails: details(r.extraDetails),
  };
}

/** One ProcessTerminate item. */
export function processTerminateItem(r: ProcessRecord): WireProcessTerminatePayload {
  return {
    Executable: r.executable ?? '',
    ProcessId: r.processId ?? 0,
    ExitStatus: r.exitStatus ?? UNKNOWN_EXIT_STATUS,
    ExtraDetails: details(r.extraDetails, r.exitStatus === undefined ? { ExitStatusKnown: 'false' } : {}),
  };
}

/** One Login item. */
export function loginItem(a: LoginAttempt): WireLoginPayload {
  return {
    ProcessId: a.processId,
    UserId: a.userId,
    // The schema needs UserId or UserName; a record with neither names nobody.
    UserName: a.userName ?? (a.userId === undefined ? '' : undefined),
    Operation: a.operation,
    Executable: a.executable,
    RemoteAddress: ipOrUndefined(a.remoteAddress),
    RemotePort: a.remotePort,
    LocalPort: a.localPort,
    Result: a.result === 'success' ? 'Success' : 'Fail',
    ExtraDetails: details(a.extraDetails),
  };
}

/** One ListeningPorts item. */
export function listeningItem(p: ListeningPort): WireListeningPortsPayload {
  return {
    LocalPort: p.localPort,
    Protocol: upper(p.protocol),
    LocalAddress: ipOrUndefined(p.localAddress),
    RemoteAddress: ipOrUndefined(p.remoteAddress),
    RemotePort: p.remotePort,
    ExtraDetails: details(p.extraDetails),
  };
}

/** One LocalUsers item; group lists are `;`-joined on the wire. */
export function localUserItem(u: LocalUser): WireLocalUsersPayload {
  return {
    UserName: u.userName,
    UserId: u.userId,
    GroupNames: u.groupNames.join(';'),
    GroupIds: u.groupIds.join(';'),
    ExtraDetails: details(u.extraDetails),
  };
}

/** The SystemInformation item; the RTOS-only texts travel in ExtraDetails. */
export function systemInformationItem(i: SystemInformation): WireSystemInformationPayload {
  return {
    OSName: i.osName,
    OSVersion: i.osVersion,
    OSVendor: i.osVendor,
    OsArchitecture: i.osArchitecture,
    HostName: i.hostName,
    BIOSVersion: i.biosVersion,
    BootDevice: i.bootDevice,
    TotalPhysicalMemoryInKB: i.totalPhysicalMemoryKb,
    FreePhysicalMemoryInKB: i.freePhysicalMemoryKb,
    TotalVirtualMemoryInKB: i.totalVirtualMemoryKb,
    FreeVirtualMemoryInKB: i.freeVirtualMemoryKb,
    ExtraDetails: details(i.extraDetails, {
      OsInfo: i.osInfo,
      KernelInfo: i.kernelInfo,
      HardwareInfo: i.hardwareInfo,
    }),
  };
}

const ACTIONS = { allow: 'Allow', deny: 'Deny', other: 'Other' } as const;

/** One FirewallConfiguration item. */
export function firewallItem(r: FirewallRule): WireFirewallConfigurationPayload {
  return {
    Enabled: r.enabled,
    Action: ACTIONS[r.action],
    Priority: r.priority,
    Direction: r.direction === undefined ? undefined : r.direction === 'in' ? 'In' : 'Out',
    ChainName: r.chainName,
    Application: r.application,
    SourceAddress: r.sourceAddress,
    SourcePort: r.sourcePort,
    DestinationAddress: r.destinationAddress,
    DestinationPort: r.destinationPort,
    Protocol: r.protocol === undefined ? undefined : upper(r.protocol),
    ExtraDetails: details(r.extraDetails),
  };
}

const RESULTS = { pass: 'Pass', fail: 'Fail', error: 'Err' } as const;
const SEVERITIES = {
  critical: 'Critical',
  important: 'Important',
  warning: 'Warning',
  informational: 'Informational',
} as const;

/** One OSBaseline item; the remediation, which JSON 1.0 has no field for, rides in ExtraDetails. */
export function baselineItem(c: BaselineCheck): WireOsBaselinePayload {
  return {
    Description: c.description ?? '',
    CceId: c.checkId,
    Result: RESULTS[c.result],
    Error: c.error ?? '',
    Severity: SEVERITIES[c.severity ?? 'informational'],
    ExtraDetails: details(c.extraDetails, { Remediation: c.remediation }),
  };
}

const LEVELS = {
  notset: 'Information',
  fatal: 'Fatal',
  error: 'Error',
  warn: 'Warning',
  info: 'Information',
  debug: 'Debug',
} as const;

/** A module log record as a Diagnostic item (JSON 1.0 has no Log event). */
export function logItem(r: LogRecord, processId: number): WireDiagnosticPayload {
  return {
    Severity: LEVELS[r.level],
    Message: r.message,
    ProcessId: processId,
    ThreadId: 0,
    ExtraDetails: details({
      FileName: r.filename,
      Line: numberText(r.line),
      Timestamp: numberText(r.timestamp),
    }),
  };
}
