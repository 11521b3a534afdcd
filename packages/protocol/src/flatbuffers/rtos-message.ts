/**
 * Typed objects for one FlatBuffers "AzureIoTSecurity" 2.3 message (reference/azure-security-module.md
 * §1.7; azure-iot-security.fbs beside this file), as the wire has it: what `decodeRtosMessage` returns
 * and `encodeRtosMessage` takes. Scalars carry their schema default when the wire omits them, vectors
 * absent on the wire are empty arrays, and optional strings absent on the wire are absent properties.
 * Enum values are the lower-cased schema names; the arrays below are indexed by the wire value.
 */

/** `Protocol` by wire value. */
export const RTOS_PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;
/** `ProcessEventType` by wire value. */
export const RTOS_PROCESS_EVENT_TYPES = ['fork', 'exec', 'exit'] as const;
/** `Result` by wire value. */
export const RTOS_RESULTS = ['pass', 'fail', 'error'] as const;
/** `Severity` by wire value. */
export const RTOS_SEVERITIES = ['critical', 'important', 'warning', 'informational'] as const;
/** `Level` by wire value. */
export const RTOS_LOG_LEVELS = ['notset', 'fatal', 'error', 'warn', 'info', 'debug'] as const;
/** The `Payload` union's member names by type tag; tag 0 is NONE. */
export const RTOS_PAYLOAD_TYPES = [
  'NONE',
  'NetworkActivity',
  'SystemInformation',
  'ListeningPorts',
  'Heartbeat',
  'Baseline',
  'Process',
  'Log',
] as const;

/** Largest body Vigil accepts: the IoT Hub telemetry limit (reference §1.9, §2.7). */
export const RTOS_MAX_MESSAGE_BYTES = 262_144;

/** A `Protocol` enum value. */
export type RtosProtocol = (typeof RTOS_PROTOCOLS)[number];
/** A `ProcessEventType` enum value. */
export type RtosProcessEventType = (typeof RTOS_PROCESS_EVENT_TYPES)[number];
/** A baseline check `Result` enum value. */
export type RtosResult = (typeof RTOS_RESULTS)[number];
/** A baseline check `Severity` enum value. */
export type RtosSeverity = (typeof RTOS_SEVERITIES)[number];
/** A log `Level` enum value. */
export type RtosLogLevel = (typeof RTOS_LOG_LEVELS)[number];
/** A `Payload` union member name (never NONE: the payload is required). */
export type RtosPayloadType = Exclude<(typeof RTOS_PAYLOAD_TYPES)[number], 'NONE'>;

/** `NetworkActivityCommon`. RTOS fills only ports, byte counts and protocol. */
export interface RtosNetworkActivityCommon {
  readonly localPort: number;
  readonly remotePort: number;
  /** Bytes sent into the device. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly protocol: RtosProtocol;
  readonly processId: number;
  readonly userId: number;
  readonly executable?: string;
  readonly commandline?: string;
}

/** `NetworkActivityV4` / `NetworkActivityV6`: one flow; addresses as text (dotted quad, RFC 5952). */
export interface RtosNetworkFlow {
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly common: RtosNetworkActivityCommon;
}

/** `ListeningPortsV4` / `ListeningPortsV6` structs. */
export interface RtosListeningPort {
  readonly localAddress: string;
  readonly localPort: number;
  readonly protocol: RtosProtocol;
}

/** `BaselineCheck`. */
export interface RtosBaselineCheck {
  readonly id: string;
  readonly result: RtosResult;
  readonly error?: string;
  readonly description?: string;
  readonly severity: RtosSeverity;
  readonly remediation?: string;
}

/** `Record` (a log line of the module). */
export interface RtosLogRecord {
  readonly message: string;
  readonly level: RtosLogLevel;
  /** uint64 on the wire, so a bigint here. */
  readonly timestamp: bigint;
  readonly line: number;
  readonly filename: string;
}

/** The `Payload` union, discriminated by its member name. */
export type RtosPayload =
  | {
      readonly type: 'NetworkActivity';
      readonly ipv4Activity: readonly RtosNetworkFlow[];
      readonly ipv6Activity: readonly RtosNetworkFlow[];
    }
  | {
      readonly type: 'SystemInformation';
      readonly osInfo?: string;
      readonly kernelInfo?: string;
      readonly hwInfo?: string;
    }
  | {
      readonly type: 'ListeningPorts';
      readonly ipv4Ports: readonly RtosListeningPort[];
      readonly ipv6Ports: readonly RtosListeningPort[];
    }
  | { readonly type: 'Heartbeat' }
  | { readonly type: 'Baseline'; readonly baselineChecks: readonly RtosBaselineCheck[] }
  | {
      readonly type: 'Process';
      readonly executable?: string;
      readonly processId: number;
      readonly parentProcessId: number;
      readonly userId: number;
      readonly userName?: string;
      readonly commandline?: string;
      readonly eventType: RtosProcessEventType;
      /** Default 1 (§1.7). */
      readonly hitCount: number;
    }
  | { readonly type: 'Log'; readonly logs: readonly RtosLogRecord[] };

/** The payload union member with the given name. */
export type RtosPayloadOf<T extends RtosPayloadType> = Extract<RtosPayload, { type: T }>;

/** `Event`. */
export interface RtosEvent {
  /** The 16 `UUID` bytes rendered 8-4-4-4-12, lower-case hex. */
  readonly id: string;
  /** Seconds since the Unix epoch; 0 when unset. */
  readonly time: number;
  /** The collector's interval in seconds; 0 when unset. */
  readonly collectionInterval: number;
  readonly payload: RtosPayload;
}

/** `Message`, the root table. */
export interface RtosSecurityMessage {
  /** RTOS sends the constant module id (`defender-iot-micro-agent`), not a device id (§1.6). */
  readonly securityModuleId: string;
  /** (major << 24) | (minor << 16) | patch, e.g. 3.5.4 = 50659332 (§1.6). */
  readonly securityModuleVersion: number;
  /** Hours from UTC, -11…+12; RTOS never sets it. */
  readonly timezone: number;
  readonly events: readonly RtosEvent[];
}

/** Renders `security_module_version` as `major.minor.patch` (3.5.4 for 50659332; reference §1.6). */
export function formatRtosModuleVersion(version: number): string {
  return `${version >>> 24}.${(version >>> 16) & 0xff}.${version & 0xffff}`;
}
