/**
 * Payload item shapes of every event in the JSON 1.0 catalogue (reference/azure-security-module.md
 * §2.2), one interface per event, and the {@link WireEvent} union that ties each to its `Name`.
 */
import type {
  WireDirection,
  WireEventEnvelope,
  WireExtraDetails,
  WireGuid,
  WireIpAddress,
  WireIpTag,
  WirePort,
  WireProtocol,
} from './wire-types.js';

/** `ConnectionCreate`: one network connection opened (Out) or accepted (In). */
export interface WireConnectionCreatePayload {
  readonly RemoteAddress: WireIpAddress;
  readonly RemotePort: WirePort;
  readonly LocalAddress?: WireIpAddress;
  readonly LocalPort?: WirePort;
  readonly Direction: WireDirection;
  readonly Protocol: WireProtocol;
  readonly ProcessId: number;
  readonly UserId?: string;
  readonly Executable: string;
  readonly CommandLine?: string;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `ProcessCreate`: a process started (exec). */
export interface WireProcessCreatePayload {
  readonly Executable: string;
  readonly ProcessId: number;
  readonly ParentProcessId: number;
  readonly UserId: string;
  readonly UserName?: string;
  readonly CommandLine: string;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `ProcessTerminate`: a process exited (Windows agents). */
export interface WireProcessTerminatePayload {
  readonly Executable: string;
  readonly ProcessId: number;
  readonly ExitStatus: number;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `Login`: a login attempt; at least one of `UserId` and `UserName` is present. */
export interface WireLoginPayload {
  readonly ProcessId: number;
  readonly UserId?: string;
  readonly UserName?: string;
  readonly Operation: string;
  readonly Executable: string;
  readonly RemoteAddress?: WireIpAddress;
  readonly RemotePort?: WirePort;
  readonly LocalPort?: WirePort;
  readonly Result: 'Success' | 'Fail';
  readonly ExtraDetails?: WireExtraDetails;
}

/** `ListeningPorts`: one socket (agents report every socket, not only listening ones). */
export interface WireListeningPortsPayload {
  readonly LocalPort: WirePort;
  readonly Protocol: WireProtocol;
  readonly LocalAddress?: WireIpAddress;
  readonly RemoteAddress?: WireIpAddress;
  readonly RemotePort?: WirePort;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `LocalUsers`: one account; group lists are `;`-joined. */
export interface WireLocalUsersPayload {
  readonly UserName: string;
  readonly UserId: string;
  readonly GroupNames: string;
  readonly GroupIds: string;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `SystemInformation`: every field optional; memory figures in KB. */
export interface WireSystemInformationPayload {
  readonly OSName?: string;
  readonly OSVersion?: string;
  readonly OSVendor?: string;
  readonly OsArchitecture?: string;
  readonly HostName?: string;
  readonly BIOSVersion?: string;
  readonly BootDevice?: string;
  readonly TotalPhysicalMemoryInKB?: number;
  readonly FreePhysicalMemoryInKB?: number;
  readonly TotalVirtualMemoryInKB?: number;
  readonly FreeVirtualMemoryInKB?: number;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `FirewallConfiguration`: one rule. */
export interface WireFirewallConfigurationPayload {
  readonly Enabled: boolean;
  readonly Action: 'Allow' | 'Deny' | 'Other';
  readonly Priority?: number;
  readonly Direction?: WireDirection;
  readonly ChainName?: string;
  readonly Application?: string;
  readonly SourceAddress?: WireIpTag;
  readonly SourcePort?: WirePort;
  readonly DestinationAddress?: WireIpTag;
  readonly DestinationPort?: WirePort;
  readonly Protocol?: WireProtocol;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `OSBaseline`: one failed (or errored) baseline check. */
export interface WireOsBaselinePayload {
  readonly Description: string;
  readonly CceId: string;
  readonly Result: 'Pass' | 'Fail' | 'Err';
  readonly Error: string;
  readonly Severity: 'Critical' | 'Important' | 'Warning' | 'Informational';
  readonly ExtraDetails?: WireExtraDetails;
}

/** `ConnectedHardware`: one device attached to the machine (Windows agents). */
export interface WireConnectedHardwarePayload {
  readonly HardwareCategory: string;
  readonly HardwareSubCategory: string;
  readonly HardwareName: string;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `Diagnostic`: one log line of the agent itself. */
export interface WireDiagnosticPayload {
  readonly Severity: 'Fatal' | 'Error' | 'Warning' | 'Information' | 'Debug';
  readonly Message: string;
  readonly ProcessId: number;
  readonly ThreadId: number;
  readonly CorrelationId?: WireGuid;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `ConfigurationError`: a twin setting the agent could not apply as given (§2.5). */
export interface WireConfigurationErrorPayload {
  readonly ConfigurationName: string;
  readonly ErrorType: 'TypeMismatch' | 'NotOptimal' | 'Conflict';
  readonly UsedConfiguration: string;
  readonly Message: string;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `DroppedEventsStatistics`: counters of one queue. */
export interface WireDroppedEventsPayload {
  readonly Queue: 'High' | 'Low';
  readonly CollectedEvents: number;
  readonly DroppedEvents: number;
  readonly ExtraDetails?: WireExtraDetails;
}

/** `MessageStatistics`: send counters. */
export interface WireMessageStatisticsPayload {
  readonly MessagesSent: number;
  readonly MessagesUnder4KB: number;
  readonly TotalFailed: number;
  readonly ExtraDetails?: WireExtraDetails;
}

/** Every JSON 1.0 event, discriminated by `Name`. */
export type WireEvent =
  | WireEventEnvelope<'ConnectionCreate', 'Security', WireConnectionCreatePayload>
  | WireEventEnvelope<'ProcessCreate', 'Security', WireProcessCreatePayload>
  | WireEventEnvelope<'ProcessTerminate', 'Security', WireProcessTerminatePayload>
  | WireEventEnvelope<'Login', 'Security', WireLoginPayload>
  | WireEventEnvelope<'ListeningPorts', 'Security', WireListeningPortsPayload>
  | WireEventEnvelope<'LocalUsers', 'Security', WireLocalUsersPayload>
  | WireEventEnvelope<'SystemInformation', 'Security', WireSystemInformationPayload>
  | WireEventEnvelope<'FirewallConfiguration', 'Security', WireFirewallConfigurationPayload>
  | WireEventEnvelope<'OSBaseline', 'Security', WireOsBaselinePayload>
  | WireEventEnvelope<'ConnectedHardware', 'Security', WireConnectedHardwarePayload>
  | WireEventEnvelope<'Diagnostic', 'Diagnostic', WireDiagnosticPayload>
  | WireEventEnvelope<'ConfigurationError', 'Operational', WireConfigurationErrorPayload>
  | WireEventEnvelope<'DroppedEventsStatistics', 'Operational', WireDroppedEventsPayload>
  | WireEventEnvelope<'MessageStatistics', 'Operational', WireMessageStatisticsPayload>;

/** The `Name` of a {@link WireEvent}. */
export type WireEventName = WireEvent['Name'];

/** The {@link WireEvent} variant with the given name. */
export type WireEventOf<N extends WireEventName> = Extract<WireEvent, { Name: N }>;
