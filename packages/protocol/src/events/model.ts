/**
 * Vigil's internal event model: what a security message means, whichever wire format carried it.
 *
 * JSON schema 1.0 (reference/azure-security-module.md §2.2) and the RTOS FlatBuffers schema 2.3 (§1.7)
 * describe overlapping facts with different shapes. Both decoders produce these types, so analytics
 * never looks at a wire format. Field names are camelCase versions of the JSON 1.0 names where one
 * exists; values are normalised (protocols lower-case, timestamps as epoch milliseconds, ports as the
 * wire's port text) and nothing a device sent is silently thrown away: unknown details stay in
 * `extraDetails`.
 */

/** Which wire format an event arrived in. */
export type WireFormat = 'json-1.0' | 'flatbuffers-2.3';

/** JSON 1.0 `EventType`; FlatBuffers events are all `Security`. */
export type SecurityEventType = 'Security' | 'Operational' | 'Diagnostic';

/**
 * JSON 1.0 `Category`. `Aggregated` is not in the published schema but real agents send it
 * (reference §2.1, §2.3); FlatBuffers events carry no category and are mapped to `Periodic` or `Triggered`
 * by payload kind.
 */
export type SecurityEventCategory = 'Periodic' | 'Triggered' | 'Aggregated';

/**
 * A transport protocol, lower-case. Agents send `tcp`, `TCP`, `tcp6`…: the IP version suffix is moved to
 * `ipVersion`, so `tcp6` becomes `tcp` with `ipVersion: 6`. Unknown names are kept lower-cased.
 */
export type TransportProtocol = 'tcp' | 'udp' | 'icmp' | (string & {});

/** Free-form string details a device attached to a payload item (`ExtraDetails`). */
export type ExtraDetails = Readonly<Record<string, string>>;

/** Aggregation facts of an `Aggregated` event (reference §2.3), parsed from its ExtraDetails. */
export interface AggregationInfo {
  readonly hitCount: number;
  /** Epoch milliseconds, or null when the agent sent a time Vigil cannot read. */
  readonly startTimeUtc: number | null;
  readonly endTimeUtc: number | null;
}

/** Fields every normalised event has. */
export interface SecurityEventHeader {
  /** The event id, lower-case, as sent (JSON GUID) or rendered 8-4-4-4-12 from the 16 FlatBuffers bytes. */
  readonly id: string;
  /** The catalogue name (`ConnectionCreate`, `Login`…) or, for FlatBuffers, the payload type name. */
  readonly name: string;
  readonly eventType: SecurityEventType;
  readonly category: SecurityEventCategory;
  /** When the event happened, epoch milliseconds UTC; null when the device sent an unreadable time. */
  readonly timeUtc: number | null;
  /** The timestamp text exactly as the device sent it (JSON `TimestampLocal`), for evidence. */
  readonly timeLocalText?: string;
  /** The collector's interval in seconds (FlatBuffers `collection_interval`), when known. */
  readonly collectionIntervalSeconds?: number;
  readonly aggregation?: AggregationInfo;
  readonly format: WireFormat;
}

/** One network connection or flow (JSON ConnectionCreate item; FlatBuffers NetworkActivityV4/V6). */
export interface NetworkFlow {
  readonly ipVersion: 4 | 6;
  readonly protocol: TransportProtocol;
  /** Present for JSON ConnectionCreate; FlatBuffers flows have bytes in both directions instead. */
  readonly direction?: 'in' | 'out';
  readonly localAddress?: string;
  readonly remoteAddress: string;
  /** Port text as on the wire (`"443"`); FlatBuffers numbers become decimal text. Absent for ICMP. */
  readonly localPort?: string;
  readonly remotePort?: string;
  /** Bytes sent into the device (FlatBuffers `bytes_in`). */
  readonly bytesIn?: number;
  readonly bytesOut?: number;
  readonly processId?: number;
  readonly userId?: string;
  readonly executable?: string;
  readonly commandLine?: string;
  readonly extraDetails?: ExtraDetails;
}

/** A process event: JSON ProcessCreate (`exec`) and ProcessTerminate (`exit`); FlatBuffers Process. */
export interface ProcessRecord {
  readonly action: 'fork' | 'exec' | 'exit';
  readonly executable?: string;
  readonly processId?: number;
  readonly parentProcessId?: number;
  readonly userId?: string;
  readonly userName?: string;
  readonly commandLine?: string;
  /** ProcessTerminate `ExitStatus`. */
  readonly exitStatus?: number;
  /** How many identical events this record stands for (FlatBuffers `hit_count`, default 1). */
  readonly hitCount: number;
  readonly extraDetails?: ExtraDetails;
}

/** A listening (or, as agents really report, any) socket (JSON ListeningPorts; FlatBuffers ListeningPorts). */
export interface ListeningPort {
  readonly ipVersion?: 4 | 6;
  readonly protocol: TransportProtocol;
  readonly localAddress?: string;
  /** Port text as on the wire: `"22"`, `"*"`. */
  readonly localPort: string;
  readonly remoteAddress?: string;
  readonly remotePort?: string;
  readonly extraDetails?: ExtraDetails;
}

/** JSON SystemInformation and FlatBuffers SystemInformation, side by side. */
export interface SystemInformation {
  readonly osName?: string;
  readonly osVersion?: string;
  readonly osVendor?: string;
  readonly osArchitecture?: string;
  readonly hostName?: string;
  readonly biosVersion?: string;
  readonly bootDevice?: string;
  readonly totalPhysicalMemoryKb?: number;
  readonly freePhysicalMemoryKb?: number;
  readonly totalVirtualMemoryKb?: number;
  readonly freeVirtualMemoryKb?: number;
  /** FlatBuffers `os_info`. */
  readonly osInfo?: string;
  /** FlatBuffers `kernel_info`. */
  readonly kernelInfo?: string;
  /** FlatBuffers `hw_info`. */
  readonly hardwareInfo?: string;
  readonly extraDetails?: ExtraDetails;
}

/** Severity names shared by OS baseline checks in both formats. */
export type BaselineSeverity = 'critical' | 'important' | 'warning' | 'informational';

/** One OS baseline check result (JSON OSBaseline item; FlatBuffers BaselineCheck). */
export interface BaselineCheck {
  /** JSON `CceId`; FlatBuffers `id`. */
  readonly checkId: string;
  readonly result: 'pass' | 'fail' | 'error';
  readonly description?: string;
  readonly error?: string;
  readonly severity?: BaselineSeverity;
  readonly remediation?: string;
  readonly extraDetails?: ExtraDetails;
}

/** One log record of the device's security module (FlatBuffers Log). */
export interface LogRecord {
  readonly message: string;
  readonly level: 'notset' | 'fatal' | 'error' | 'warn' | 'info' | 'debug';
  /** As sent by the device (FlatBuffers uint64), epoch seconds. */
  readonly timestamp?: number;
  readonly line?: number;
  readonly filename: string;
}

/** A login attempt (JSON Login). */
export interface LoginAttempt {
  readonly processId: number;
  readonly userId?: string;
  readonly userName?: string;
  readonly operation: string;
  readonly executable: string;
  readonly remoteAddress?: string;
  readonly remotePort?: string;
  readonly localPort?: string;
  readonly result: 'success' | 'fail';
  readonly extraDetails?: ExtraDetails;
}

/** A local user account (JSON LocalUsers). Group lists are split from the wire's `;`-joined text. */
export interface LocalUser {
  readonly userName: string;
  readonly userId: string;
  readonly groupNames: readonly string[];
  readonly groupIds: readonly string[];
  readonly extraDetails?: ExtraDetails;
}

/** A firewall rule (JSON FirewallConfiguration). */
export interface FirewallRule {
  readonly enabled: boolean;
  readonly action: 'allow' | 'deny' | 'other';
  readonly priority?: number;
  readonly direction?: 'in' | 'out';
  readonly chainName?: string;
  readonly application?: string;
  readonly sourceAddress?: string;
  readonly sourcePort?: string;
  readonly destinationAddress?: string;
  readonly destinationPort?: string;
  readonly protocol?: TransportProtocol;
  readonly extraDetails?: ExtraDetails;
}

/** A connected hardware item (JSON ConnectedHardware). */
export interface ConnectedHardwareItem {
  readonly category: string;
  readonly subCategory: string;
  readonly name: string;
  readonly extraDetails?: ExtraDetails;
}

/** A diagnostic log line of the agent (JSON Diagnostic). */
export interface DiagnosticEntry {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information' | 'debug';
  readonly message: string;
  readonly processId: number;
  readonly threadId: number;
  readonly correlationId?: string;
  readonly extraDetails?: ExtraDetails;
}

/** A rejected piece of configuration (JSON ConfigurationError; reference §2.5). */
export interface ConfigurationErrorEntry {
  readonly configurationName: string;
  readonly errorType: 'TypeMismatch' | 'NotOptimal' | 'Conflict';
  readonly usedConfiguration: string;
  readonly message: string;
  readonly extraDetails?: ExtraDetails;
}

/** Per-queue drop counters (JSON DroppedEventsStatistics). */
export interface DroppedEventsEntry {
  readonly queue: 'high' | 'low';
  readonly collectedEvents: number;
  readonly droppedEvents: number;
  readonly extraDetails?: ExtraDetails;
}

/** Send counters (JSON MessageStatistics). */
export interface MessageStatisticsEntry {
  readonly messagesSent: number;
  readonly messagesUnder4Kb: number;
  readonly totalFailed: number;
  readonly extraDetails?: ExtraDetails;
}

/** Every normalised event, discriminated by `kind`. */
export type SecurityEvent =
  | (SecurityEventHeader & { readonly kind: 'network-activity'; readonly flows: readonly NetworkFlow[] })
  | (SecurityEventHeader & { readonly kind: 'process'; readonly processes: readonly ProcessRecord[] })
  | (SecurityEventHeader & { readonly kind: 'listening-ports'; readonly ports: readonly ListeningPort[] })
  | (SecurityEventHeader & { readonly kind: 'system-information'; readonly info: SystemInformation })
  | (SecurityEventHeader & { readonly kind: 'heartbeat' })
  | (SecurityEventHeader & { readonly kind: 'baseline'; readonly checks: readonly BaselineCheck[] })
  | (SecurityEventHeader & { readonly kind: 'log'; readonly records: readonly LogRecord[] })
  | (SecurityEventHeader & { readonly kind: 'login'; readonly attempts: readonly LoginAttempt[] })
  | (SecurityEventHeader & { readonly kind: 'local-users'; readonly users: readonly LocalUser[] })
  | (SecurityEventHeader & {
      readonly kind: 'firewall-configuration';
      readonly rules: readonly FirewallRule[];
    })
  | (SecurityEventHeader & {
      readonly kind: 'connected-hardware';
      readonly items: readonly ConnectedHardwareItem[];
    })
  | (SecurityEventHeader & { readonly kind: 'diagnostic'; readonly entries: readonly DiagnosticEntry[] })
  | (SecurityEventHeader & {
      readonly kind: 'configuration-error';
      readonly errors: readonly ConfigurationErrorEntry[];
    })
  | (SecurityEventHeader & {
      readonly kind: 'dropped-events';
      readonly queues: readonly DroppedEventsEntry[];
    })
  | (SecurityEventHeader & {
      readonly kind: 'message-statistics';
      readonly statistics: readonly MessageStatisticsEntry[];
    });

/** The `kind` of a {@link SecurityEvent}. */
export type SecurityEventKind = SecurityEvent['kind'];

/** The {@link SecurityEvent} variant with the given kind. */
export type SecurityEventOf<K extends SecurityEventKind> = Extract<SecurityEvent, { kind: K }>;

/** Something a device sent that Vigil accepted but that departs from the published contract. */
export interface DecodeWarning {
  /** JSON path into the message (`$.Events[0].Category`), or a FlatBuffers field path. */
  readonly path: string;
  /** A stable code for the leniency, for counting (`CATEGORY_AGGREGATED`, `TIMESTAMP_NO_ZONE`…). */
  readonly code: string;
  readonly message: string;
}

/** A whole decoded security message. */
export interface DecodedSecurityMessage {
  readonly format: WireFormat;
  /** JSON `AgentId`; FlatBuffers `security_module_id`. */
  readonly agentId: string;
  /** JSON `AgentVersion`; FlatBuffers `security_module_version` as decimal text. */
  readonly agentVersion: string;
  /** `1.0` for JSON; `2.3` (or the `mti` major.minor) for FlatBuffers. */
  readonly schemaVersion: string;
  readonly events: readonly SecurityEvent[];
  readonly warnings: readonly DecodeWarning[];
}
