/**
 * Builds security messages in JSON schema 1.0 (reference/azure-security-module.md §2.1–2.2), the way
 * the Linux agents write them. Plain objects, so tests can check them against the schema validator.
 */

/** A payload item: string, number or boolean fields, and optional `ExtraDetails` (string → string). */
export type JsonPayloadItem = Readonly<
  Record<string, string | number | boolean | Readonly<Record<string, string>>>
>;

/** One event of the `Events` array. */
export interface JsonSecurityEvent {
  readonly Id: string;
  readonly TimestampLocal: string;
  readonly TimestampUTC: string;
  readonly Category: 'Periodic' | 'Triggered';
  readonly Name: string;
  readonly EventType: 'Security' | 'Operational' | 'Diagnostic';
  readonly IsEmpty: boolean;
  readonly PayloadSchemaVersion: '1.0';
  readonly Payload: readonly JsonPayloadItem[];
}

/** The message envelope. */
export interface JsonSecurityMessage {
  readonly AgentVersion: string;
  readonly AgentId: string;
  readonly MessageSchemaVersion: '1.0';
  readonly Events: readonly JsonSecurityEvent[];
}

/** What an event needs besides its payload. */
export interface EventInput {
  readonly id: string;
  readonly at: number;
  readonly name: string;
  readonly category: 'Periodic' | 'Triggered';
  readonly eventType?: 'Security' | 'Operational' | 'Diagnostic';
  readonly payload: readonly JsonPayloadItem[];
}

/** One event; `IsEmpty` follows the payload (the schema's Periodic/Triggered consistency rules). */
export function jsonEvent(input: EventInput): JsonSecurityEvent {
  const time = new Date(input.at).toISOString();
  return {
    Id: input.id,
    TimestampLocal: time,
    TimestampUTC: time,
    Category: input.category,
    Name: input.name,
    EventType: input.eventType ?? 'Security',
    IsEmpty: input.payload.length === 0,
    PayloadSchemaVersion: '1.0',
    Payload: input.payload,
  };
}

/** The envelope around events. */
export function jsonSecurityMessage(
  agentId: string,
  events: readonly JsonSecurityEvent[],
  agentVersion = '0.1.0',
): JsonSecurityMessage {
  return { AgentVersion: agentVersion, AgentId: agentId, MessageSchemaVersion: '1.0', Events: events };
}

/** A TCP/UDP connection as a `ConnectionCreate` payload item. */
export interface SimulatedConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly direction: 'In' | 'Out';
  readonly protocol: 'tcp' | 'udp';
  readonly processId: number;
  readonly executable: string;
  readonly commandLine: string;
  readonly userId: string;
}

/** `ConnectionCreate` payload item; protocols lowercase as the C agent sends them (§2.1). */
export function connectionItem(connection: SimulatedConnection): JsonPayloadItem {
  return {
    RemoteAddress: connection.remoteAddress,
    RemotePort: String(connection.remotePort),
    LocalAddress: connection.localAddress,
    LocalPort: String(connection.localPort),
    Direction: connection.direction,
    Protocol: connection.protocol.toUpperCase(),
    ProcessId: connection.processId,
    UserId: connection.userId,
    Executable: connection.executable,
    CommandLine: connection.commandLine,
  };
}

/** A started process as a `ProcessCreate` payload item. */
export function processItem(process: {
  readonly executable: string;
  readonly commandLine: string;
  readonly processId: number;
  readonly parentProcessId: number;
  readonly userId: string;
  readonly userName: string;
}): JsonPayloadItem {
  return {
    Executable: process.executable,
    ProcessId: process.processId,
    ParentProcessId: process.parentProcessId,
    UserId: process.userId,
    UserName: process.userName,
    CommandLine: process.commandLine,
  };
}

/** A login attempt as a `Login` payload item. */
export function loginItem(login: {
  readonly userName: string;
  readonly result: 'Success' | 'Fail';
  readonly remoteAddress: string;
  readonly processId: number;
}): JsonPayloadItem {
  return {
    ProcessId: login.processId,
    UserName: login.userName,
    Operation: 'PAM:authentication',
    Executable: '/usr/sbin/sshd',
    RemoteAddress: login.remoteAddress,
    RemotePort: '0',
    LocalPort: '22',
    Result: login.result,
  };
}

/** A listening socket as a `ListeningPorts` payload item. */
export function listeningPortItem(port: {
  readonly protocol: 'tcp' | 'udp';
  readonly localAddress: string;
  readonly localPort: number;
}): JsonPayloadItem {
  return {
    Protocol: port.protocol.toUpperCase(),
    LocalAddress: port.localAddress,
    LocalPort: String(port.localPort),
    RemoteAddress: port.localAddress.includes(':') ? '::' : '0.0.0.0',
    RemotePort: '*',
  };
}

/** A firewall rule as a `FirewallConfiguration` payload item (iptables rendering, §2.2). */
export function firewallRuleItem(rule: {
  readonly chain: 'INPUT' | 'OUTPUT' | 'FORWARD';
  readonly priority: number;
  readonly action: 'Allow' | 'Deny';
  readonly protocol?: string;
  readonly destinationPort?: string;
  readonly sourceAddress?: string;
}): JsonPayloadItem {
  const item: Record<string, string | number | boolean> = {
    Enabled: true,
    Action: rule.action,
    Priority: rule.priority,
    ChainName: rule.chain,
  };
  if (rule.chain === 'INPUT') item.Direction = 'In';
  if (rule.chain === 'OUTPUT') item.Direction = 'Out';
  if (rule.protocol !== undefined) item.Protocol = rule.protocol;
  if (rule.destinationPort !== undefined) item.DestinationPort = rule.destinationPort;
  if (rule.sourceAddress !== undefined) item.SourceAddress = rule.sourceAddress;
  return item;
}

/** A failed OS baseline check (passing checks are not sent, §2.2). */
export function baselineItem(check: {
  readonly cceId: string;
  readonly description: string;
  readonly severity: 'Critical' | 'Important' | 'Warning' | 'Informational';
}): JsonPayloadItem {
  return {
    CceId: check.cceId,
    Description: check.description,
    Result: 'Fail',
    Error: '',
    Severity: check.severity,
  };
}
