/**
 * The JSON 1.0 event catalogue as data (reference/azure-security-module.md §2.2, and the payload
 * field types of the published `messageEvent*_v1_0.json` schemas): which `EventType` and `Category`
 * each `Name` must carry and what its payload items may contain. The validator walks this table, so
 * one place states the contract.
 */
import type { WireEventName } from './wire-events.js';
import type { WireEventType } from './wire-types.js';

/** How one payload field is checked. */
export type JsonFieldKind =
  | { readonly type: 'string' }
  /** A transport protocol name: any string to the schema; spellings other than `TCP` are noted. */
  | { readonly type: 'protocol' }
  | { readonly type: 'integer' }
  | { readonly type: 'boolean' }
  /** IPv4 or IPv6 address text (schema `ip`: `format: ipv4` or `format: ipv6`). */
  | { readonly type: 'ip' }
  /** A string of exactly 36 characters (schema `guid`). */
  | { readonly type: 'guid' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  /** `ExtraDetails`: an object of strings. */
  | { readonly type: 'extra' };

/** One event of the catalogue. */
export interface JsonCatalogueEntry {
  readonly eventType: WireEventType;
  /** The only `Category` the schema allows for this event. */
  readonly category: 'Periodic' | 'Triggered';
  /** Agents aggregate these and then send `Category: "Aggregated"` (§2.3). */
  readonly aggregatable: boolean;
  /** Payload fields by wire name; a null prototype so `__proto__` or `toString` never match. */
  readonly fields: Readonly<Record<string, JsonFieldKind>>;
  readonly required: readonly string[];
  /** Payload items need at least one of these (Login: `UserId` or `UserName`). */
  readonly requireOneOf?: readonly string[];
}

const str: JsonFieldKind = { type: 'string' };
const protocol: JsonFieldKind = { type: 'protocol' };
const int: JsonFieldKind = { type: 'integer' };
const bool: JsonFieldKind = { type: 'boolean' };
const ip: JsonFieldKind = { type: 'ip' };
const guid: JsonFieldKind = { type: 'guid' };
const extra: JsonFieldKind = { type: 'extra' };
const oneOf = (...values: string[]): JsonFieldKind => ({ type: 'enum', values });
const direction = oneOf('In', 'Out');

function entry(
  eventType: WireEventType,
  category: 'Periodic' | 'Triggered',
  fields: Record<string, JsonFieldKind>,
  required: readonly string[],
  more: { aggregatable?: boolean; requireOneOf?: readonly string[] } = {},
): JsonCatalogueEntry {
  const table = Object.assign(Object.create(null) as Record<string, JsonFieldKind>, fields, {
    ExtraDetails: extra,
  });
  return {
    eventType,
    category,
    aggregatable: more.aggregatable ?? false,
    fields: table,
    required,
    ...(more.requireOneOf ? { requireOneOf: more.requireOneOf } : {}),
  };
}

/** Every event name of JSON 1.0 with its contract. */
export const JSON_EVENT_CATALOGUE: Readonly<Record<WireEventName, JsonCatalogueEntry>> = {
  ConnectionCreate: entry(
    'Security',
    'Triggered',
    {
      RemoteAddress: ip,
      RemotePort: str,
      LocalAddress: ip,
      LocalPort: str,
      Direction: direction,
      Protocol: protocol,
      ProcessId: int,
      UserId: str,
      Executable: str,
      CommandLine: str,
    },
    ['RemoteAddress', 'RemotePort', 'Direction', 'Protocol', 'ProcessId', 'Executable'],
    { aggregatable: true },
  ),
  ProcessCreate: entry(
    'Security',
    'Triggered',
    { Executable: str, ProcessId: int, ParentProcessId: int, UserId: str, UserName: str, CommandLine: str },
    ['Executable', 'ProcessId', 'ParentProcessId', 'UserId', 'CommandLine'],
    { aggregatable: true },
  ),
  ProcessTerminate: entry(
    'Security',
    'Triggered',
    { Executable: str, ProcessId: int, ExitStatus: int },
    ['Executable', 'ProcessId', 'ExitStatus'],
    { aggregatable: true },
  ),
  Login: entry(
    'Security',
    'Triggered',
    {
      ProcessId: int,
      UserId: str,
      UserName: str,
      Operation: str,
      Executable: str,
      RemoteAddress: ip,
      RemotePort: str,
      LocalPort: str,
      Result: oneOf('Fail', 'Success'),
    },
    ['ProcessId', 'Operation', 'Executable', 'Result'],
    { requireOneOf: ['UserId', 'UserName'] },
  ),
  ListeningPorts: entry(
    'Security',
    'Periodic',
    { RemoteAddress: ip, RemotePort: str, LocalAddress: ip, LocalPort: str, Protocol: protocol },
    ['LocalPort', 'Protocol'],
  ),
  LocalUsers: entry('Security', 'Periodic', { GroupIds: str, GroupNames: str, UserId: str, UserName: str }, [
    'GroupIds',
    'GroupNames',
    'UserId',
    'UserName',
  ]),
  SystemInformation: entry(
    'Security',
    'Periodic',
    {
      OSName: str,
      OSVersion: str,
      OSVendor: str,
      OsArchitecture: str,
      HostName: str,
      BIOSVersion: str,
      BootDevice: str,
      TotalPhysicalMemoryInKB: int,
      FreePhysicalMemoryInKB: int,
      TotalVirtualMemoryInKB: int,
      FreeVirtualMemoryInKB: int,
    },
    [],
  ),
  FirewallConfiguration: entry(
    'Security',
    'Periodic',
    {
      Priority: int,
      Direction: direction,
      ChainName: str,
      Application: str,
      Enabled: bool,
      Action: oneOf('Allow', 'Deny', 'Other'),
      SourceAddress: str,
      SourcePort: str,
      DestinationAddress: str,
      DestinationPort: str,
      Protocol: protocol,
    },
    ['Enabled', 'Action'],
  ),
  OSBaseline: entry(
    'Security',
    'Periodic',
    {
      Description: str,
      CceId: str,
      Result: oneOf('Pass', 'Fail', 'Err'),
      Error: str,
      Severity: oneOf('Critical', 'Important', 'Warning', 'Informational'),
    },
    ['Description', 'CceId', 'Result', 'Error', 'Severity'],
  ),
  ConnectedHardware: entry(
    'Security',
    'Periodic',
    { HardwareCategory: str, HardwareSubCategory: str, HardwareName: str },
    ['HardwareCategory', 'HardwareSubCategory', 'HardwareName'],
  ),
  Diagnostic: entry(
    'Diagnostic',
    'Triggered',
    {
      CorrelationId: guid,
      Severity: oneOf('Fatal', 'Error', 'Warning', 'Information', 'Debug'),
      Message: str,
      ProcessId: int,
      ThreadId: int,
    },
    ['Severity', 'Message', 'ProcessId', 'ThreadId'],
  ),
  ConfigurationError: entry(
    'Operational',
    'Triggered',
    {
      ConfigurationName: str,
      ErrorType: oneOf('TypeMismatch', 'NotOptimal', 'Conflict'),
      UsedConfiguration: str,
      Message: str,
    },
    ['ConfigurationName', 'ErrorType', 'UsedConfiguration', 'Message'],
  ),
  DroppedEventsStatistics: entry(
    'Operational',
    'Periodic',
    { Queue: oneOf('High', 'Low'), CollectedEvents: int, DroppedEvents: int },
    ['Queue', 'CollectedEvents', 'DroppedEvents'],
  ),
  MessageStatistics: entry(
    'Operational',
    'Periodic',
    { MessagesSent: int, MessagesUnder4KB: int, TotalFailed: int },
    ['MessagesSent', 'MessagesUnder4KB', 'TotalFailed'],
  ),
};

/** Looks an event name up without falling into `Object.prototype` (`"toString"` is not an event). */
export function catalogueEntry(name: string): JsonCatalogueEntry | undefined {
  return Object.hasOwn(JSON_EVENT_CATALOGUE, name) ? JSON_EVENT_CATALOGUE[name as WireEventName] : undefined;
}
