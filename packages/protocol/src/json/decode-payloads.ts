/**
 * Maps the payload items of each JSON 1.0 event (reference/azure-security-module.md §2.2) to the
 * body of a normalised {@link SecurityEvent}. Input has passed validation, so shapes are trusted.
 */
import type { SecurityEvent, SecurityEventHeader, SystemInformation } from '../events/index.js';
import { addressVersion, defined, extraDetails, hitCount, normaliseProtocol, port } from './decode-values.js';
import type {
  WireConfigurationErrorPayload,
  WireConnectedHardwarePayload,
  WireConnectionCreatePayload,
  WireDiagnosticPayload,
  WireDroppedEventsPayload,
  WireEvent,
  WireFirewallConfigurationPayload,
  WireListeningPortsPayload,
  WireLocalUsersPayload,
  WireLoginPayload,
  WireMessageStatisticsPayload,
  WireOsBaselinePayload,
  WireProcessCreatePayload,
  WireProcessTerminatePayload,
  WireSystemInformationPayload,
} from './wire-events.js';

const lower = <T extends string>(text: T): Lowercase<T> => text.toLowerCase() as Lowercase<T>;

function flow(p: WireConnectionCreatePayload) {
  const { protocol, ipVersion } = normaliseProtocol(p.Protocol);
  return defined({
    ipVersion: ipVersion ?? addressVersion(p.RemoteAddress) ?? 4,
    protocol,
    direction: lower(p.Direction),
    localAddress: p.LocalAddress,
    remoteAddress: p.RemoteAddress,
    localPort: port(p.LocalPort),
    remotePort: port(p.RemotePort),
    processId: p.ProcessId,
    userId: p.UserId,
    executable: p.Executable,
    commandLine: p.CommandLine,
    extraDetails: extraDetails(p.ExtraDetails),
  });
}

function created(p: WireProcessCreatePayload, aggregated: boolean) {
  const details = extraDetails(p.ExtraDetails);
  return defined({
    action: 'exec' as const,
    executable: p.Executable,
    processId: p.ProcessId,
    parentProcessId: p.ParentProcessId,
    userId: p.UserId,
    userName: p.UserName,
    commandLine: p.CommandLine,
    hitCount: aggregated ? hitCount(details) : 1,
    extraDetails: details,
  });
}

function terminated(p: WireProcessTerminatePayload, aggregated: boolean) {
  const details = extraDetails(p.ExtraDetails);
  return defined({
    action: 'exit' as const,
    executable: p.Executable,
    processId: p.ProcessId,
    exitStatus: p.ExitStatus,
    hitCount: aggregated ? hitCount(details) : 1,
    extraDetails: details,
  });
}

function listening(p: WireListeningPortsPayload) {
  const { protocol, ipVersion } = normaliseProtocol(p.Protocol);
  return defined({
    ipVersion: ipVersion ?? addressVersion(p.LocalAddress) ?? addressVersion(p.RemoteAddress),
    protocol,
    localAddress: p.LocalAddress,
    localPort: p.LocalPort,
    remoteAddress: p.RemoteAddress,
    remotePort: p.RemotePort,
    extraDetails: extraDetails(p.ExtraDetails),
  });
}

function login(p: WireLoginPayload) {
  return defined({
    processId: p.ProcessId,
    userId: p.UserId,
    userName: p.UserName,
    operation: p.Operation,
    executable: p.Executable,
    remoteAddress: p.RemoteAddress,
    remotePort: p.RemotePort,
    localPort: p.LocalPort,
    result: lower(p.Result),
    extraDetails: extraDetails(p.ExtraDetails),
  });
}

/** `;`-joined group lists; an empty text is an empty list. */
const splitList = (text: string): string[] => (text === '' ? [] : text.split(';'));

function localUser(p: WireLocalUsersPayload) {
  return defined({
    userName: p.UserName,
    userId: p.UserId,
    groupNames: splitList(p.GroupNames),
    groupIds: splitList(p.GroupIds),
    extraDetails: extraDetails(p.ExtraDetails),
  });
}

/** The schema allows several SystemInformation items; agents send one. Later items win field by field. */
function systemInformation(items: readonly WireSystemInformationPayload[]): SystemInformation {
  const parts = items.map((p) =>
    defined({
      osName: p.OSName,
      osVersion: p.OSVersion,
      osVendor: p.OSVendor,
      osArchitecture: p.OsArchitecture,
      hostName: p.HostName,
      biosVersion: p.BIOSVersion,
      bootDevice: p.BootDevice,
      totalPhysicalMemoryKb: p.TotalPhysicalMemoryInKB,
      freePhysicalMemoryKb: p.FreePhysicalMemoryInKB,
      totalVirtualMemoryKb: p.TotalVirtualMemoryInKB,
      freeVirtualMemoryKb: p.FreeVirtualMemoryInKB,
    }),
  );
  const details = items.map((p) => extraDetails(p.ExtraDetails)).filter((d) => d !== undefined);
  const merged: SystemInformation = Object.assign({}, ...parts) as SystemInformation;
  if (details.length === 0) return merged;
  return { ...merged, extraDetails: Object.fromEntries(details.flatMap((d) => Object.entries(d))) };
}

function firewallRule(p: WireFirewallConfigurationPayload) {
  return defined({
    enabled: p.Enabled,
    action: lower(p.Action),
    priority: p.Priority,
    direction: p.Direction === undefined ? undefined : lower(p.Direction),
    chainName: p.ChainName,
    application: p.Application,
    sourceAddress: p.SourceAddress,
    sourcePort: p.SourcePort,
    destinationAddress: p.DestinationAddress,
    destinationPort: p.DestinationPort,
    protocol: p.Protocol === undefined ? undefined : normaliseProtocol(p.Protocol).protocol,
    extraDetails: extraDetails(p.ExtraDetails),
  });
}

const BASELINE_RESULTS = { Pass: 'pass', Fail: 'fail', Err: 'error' } as const;

function baselineCheck(p: WireOsBaselinePayload) {
  return defined({
    checkId: p.CceId,
    result: BASELINE_RESULTS[p.Result],
    description: p.Description,
    error: p.Error,
    severity: lower(p.Severity),
    extraDetails: extraDetails(p.ExtraDetails),
  });
}

const hardware = (p: WireConnectedHardwarePayload) =>
  defined({
    category: p.HardwareCategory,
    subCategory: p.HardwareSubCategory,
    name: p.HardwareName,
    extraDetails: extraDetails(p.ExtraDetails),
  });

const diagnostic = (p: WireDiagnosticPayload) =>
  defined({
    severity: lower(p.Severity),
    message: p.Message,
    processId: p.ProcessId,
    threadId: p.ThreadId,
    correlationId: p.CorrelationId,
    extraDetails: extraDetails(p.ExtraDetails),
  });

const configurationError = (p: WireConfigurationErrorPayload) =>
  defined({
    configurationName: p.ConfigurationName,
    errorType: p.ErrorType,
    usedConfiguration: p.UsedConfiguration,
    message: p.Message,
    extraDetails: extraDetails(p.ExtraDetails),
  });

const dropped = (p: WireDroppedEventsPayload) =>
  defined({
    queue: lower(p.Queue),
    collectedEvents: p.CollectedEvents,
    droppedEvents: p.DroppedEvents,
    extraDetails: extraDetails(p.ExtraDetails),
  });

const statistics = (p: WireMessageStatisticsPayload) =>
  defined({
    messagesSent: p.MessagesSent,
    messagesUnder4Kb: p.MessagesUnder4KB,
    totalFailed: p.TotalFailed,
    extraDetails: extraDetails(p.ExtraDetails),
  });

/** Builds the normalised event for one validated wire event, given its already decoded header. */
export function decodeEventBody(event: WireEvent, header: SecurityEventHeader): SecurityEvent {
  const aggregated = header.category === 'Aggregated';
  switch (event.Name) {
    case 'ConnectionCreate':
      return { ...header, kind: 'network-activity', flows: event.Payload.map(flow) };
    case 'ProcessCreate':
      return { ...header, kind: 'process', processes: event.Payload.map((p) => created(p, aggregated)) };
    case 'ProcessTerminate':
      return { ...header, kind: 'process', processes: event.Payload.map((p) => terminated(p, aggregated)) };
    case 'Login':
      return { ...header, kind: 'login', attempts: event.Payload.map(login) };
    case 'ListeningPorts':
      return { ...header, kind: 'listening-ports', ports: event.Payload.map(listening) };
    case 'LocalUsers':
      return { ...header, kind: 'local-users', users: event.Payload.map(localUser) };
    case 'SystemInformation':
      return { ...header, kind: 'system-information', info: systemInformation(event.Payload) };
    case 'FirewallConfiguration':
      return { ...header, kind: 'firewall-configuration', rules: event.Payload.map(firewallRule) };
    case 'OSBaseline':
      return { ...header, kind: 'baseline', checks: event.Payload.map(baselineCheck) };
    case 'ConnectedHardware':
      return { ...header, kind: 'connected-hardware', items: event.Payload.map(hardware) };
    case 'Diagnostic':
      return { ...header, kind: 'diagnostic', entries: event.Payload.map(diagnostic) };
    case 'ConfigurationError':
      return { ...header, kind: 'configuration-error', errors: event.Payload.map(configurationError) };
    case 'DroppedEventsStatistics':
      return { ...header, kind: 'dropped-events', queues: event.Payload.map(dropped) };
    case 'MessageStatistics':
      return { ...header, kind: 'message-statistics', statistics: event.Payload.map(statistics) };
  }
}
