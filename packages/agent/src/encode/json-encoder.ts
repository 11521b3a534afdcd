/**
 * The Linux/Edge output profile: events of the normalised model → JSON schema 1.0 security messages
 * (reference/azure-security-module.md §2.1–§2.3). `EventType` and `Category` come from the
 * catalogue, so a message is right by construction; tests check every collector's output with
 * `validateSecurityMessage` in strict mode.
 */
import { randomUUID } from 'node:crypto';
import {
  JSON_EVENT_CATALOGUE,
  type SecurityEvent,
  type WireEvent,
  type WireEventName,
  type WireSecurityMessage,
} from '@vigil/protocol';
import type { MessageEncoder } from '../core/index.js';
import { formatLocal, formatUtc } from './json-time.js';
import {
  baselineItem,
  connectionItem,
  details,
  firewallItem,
  listeningItem,
  localUserItem,
  logItem,
  loginItem,
  processCreateItem,
  processTerminateItem,
  systemInformationItem,
} from './json-payloads.js';

/** Options for {@link createJsonEncoder} and {@link toJsonSecurityMessage}. */
export interface JsonEncoderOptions {
  /** `AgentId`: a 36-character GUID identifying this agent installation. */
  readonly agentId: string;
  /** `AgentVersion`. */
  readonly agentVersion: string;
  /**
   * `Category` of aggregated events. The published schema allows only `Triggered` (the default,
   * so messages pass strict validation; the hit count and window still ride in ExtraDetails);
   * `Aggregated` is what the legacy agents sent and what decoders read hit counts from (§2.1, §2.3).
   */
  readonly aggregatedCategory?: 'Triggered' | 'Aggregated';
  /** Minutes east of UTC for `TimestampLocal`; default this machine's zone. */
  readonly utcOffsetMinutes?: number;
  /** `ProcessId` of the agent's own Diagnostic items (heartbeats, log records); default this process. */
  readonly processId?: number;
  /** Ids for wire events split off a model event (one event holding both creates and exits). */
  readonly newId?: () => string;
  /** Time for events without one; default the wall clock. */
  readonly now?: () => number;
}

interface Piece {
  readonly name: WireEventName;
  readonly items: readonly object[];
}

function pieces(event: SecurityEvent, pid: number): Piece[] {
  const present = <T>(items: readonly (T | undefined)[]): T[] => items.filter((i) => i !== undefined);
  switch (event.kind) {
    case 'network-activity':
      return [{ name: 'ConnectionCreate', items: present(event.flows.map(connectionItem)) }];
    case 'process': {
      const exits = event.processes.filter((p) => p.action === 'exit');
      const starts = event.processes.filter((p) => p.action !== 'exit');
      const out: Piece[] = [];
      if (starts.length > 0) out.push({ name: 'ProcessCreate', items: starts.map(processCreateItem) });
      if (exits.length > 0) out.push({ name: 'ProcessTerminate', items: exits.map(processTerminateItem) });
      return out;
    }
    case 'listening-ports':
      return [{ name: 'ListeningPorts', items: event.ports.map(listeningItem) }];
    case 'system-information':
      return [{ name: 'SystemInformation', items: [systemInformationItem(event.info)] }];
    case 'heartbeat':
      // JSON 1.0 has no heartbeat; the agent says it is alive in its own diagnostic channel.
      return [
        {
          name: 'Diagnostic',
          items: [
            {
              Severity: 'Information',
              Message: 'Heartbeat',
              ProcessId: pid,
              ThreadId: 0,
              ExtraDetails: { Source: 'Heartbeat' },
            },
          ],
        },
      ];
    case 'baseline':
      return [{ name: 'OSBaseline', items: event.checks.map(baselineItem) }];
    case 'log':
      return [{ name: 'Diagnostic', items: event.records.map((r) => logItem(r, pid)) }];
    case 'login':
      return [{ name: 'Login', items: event.attempts.map(loginItem) }];
    case 'local-users':
      return [{ name: 'LocalUsers', items: event.users.map(localUserItem) }];
    case 'firewall-configuration':
      return [{ name: 'FirewallConfiguration', items: event.rules.map(firewallItem) }];
    case 'connected-hardware':
      return [
        {
          name: 'ConnectedHardware',
          items: event.items.map((i) => ({
            HardwareCategory: i.category,
            HardwareSubCategory: i.subCategory,
            HardwareName: i.name,
            ExtraDetails: details(i.extraDetails),
          })),
        },
      ];
    case 'diagnostic': {
      const severity = {
        fatal: 'Fatal',
        error: 'Error',
        warning: 'Warning',
        information: 'Information',
        debug: 'Debug',
      };
      return [
        {
          name: 'Diagnostic',
          items: event.entries.map((e) => ({
            Severity: severity[e.severity],
            Message: e.message,
            ProcessId: e.processId,
            ThreadId: e.threadId,
            CorrelationId: e.correlationId?.length === 36 ? e.correlationId : undefined,
            ExtraDetails: details(e.extraDetails),
          })),
        },
      ];
    }
    case 'configuration-error':
      return [
        {
          name: 'ConfigurationError',
          items: event.errors.map((e) => ({
            ConfigurationName: e.configurationName,
            ErrorType: e.errorType,
            UsedConfiguration: e.usedConfiguration,
            Message: e.message,
            ExtraDetails: details(e.extraDetails),
          })),
        },
      ];
    case 'dropped-events':
      return [
        {
          name: 'DroppedEventsStatistics',
          items: event.queues.map((q) => ({
            Queue: q.queue === 'high' ? 'High' : 'Low',
            CollectedEvents: q.collectedEvents,
            DroppedEvents: q.droppedEvents,
            ExtraDetails: details(q.extraDetails),
          })),
        },
      ];
    case 'message-statistics':
      return [
        {
          name: 'MessageStatistics',
          items: event.statistics.map((s) => ({
            MessagesSent: s.messagesSent,
            MessagesUnder4KB: s.messagesUnder4Kb,
            TotalFailed: s.totalFailed,
            ExtraDetails: details(s.extraDetails),
          })),
        },
      ];
  }
}

/** The JSON 1.0 message of `events`. Always valid: never an empty `Events` array. */
export function toJsonSecurityMessage(
  events: readonly SecurityEvent[],
  options: JsonEncoderOptions,
): WireSecurityMessage {
  const pid = options.processId ?? process.pid;
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? Date.now;
  const out: WireEvent[] = [];
  let skipped = 0;
  for (const event of events) {
    const time = event.timeUtc ?? now();
    for (const [index, piece] of pieces(event, pid).entries()) {
      const entry = JSON_EVENT_CATALOGUE[piece.name];
      // §2.1: Triggered events need at least one item; Periodic ones say IsEmpty instead.
      if (piece.items.length === 0 && entry.category === 'Triggered') {
        skipped += 1;
        continue;
      }
      const category =
        event.category === 'Aggregated' && entry.aggregatable
          ? (options.aggregatedCategory ?? 'Triggered')
          : entry.category;
      out.push({
        Id: index === 0 && event.id.length === 36 ? event.id : newId(),
        TimestampLocal: formatLocal(time, options.utcOffsetMinutes),
        TimestampUTC: formatUtc(time),
        Category: category,
        Name: piece.name,
        EventType: entry.eventType,
        IsEmpty: piece.items.length === 0,
        PayloadSchemaVersion: '1.0',
        Payload: piece.items,
      } as WireEvent);
    }
  }
  if (out.length === 0) {
    // `Events` needs one item (§2.1): say why the message carries nothing rather than send an invalid one.
    const time = now();
    out.push({
      Id: newId(),
      TimestampLocal: formatLocal(time, options.utcOffsetMinutes),
      TimestampUTC: formatUtc(time),
      Category: 'Triggered',
      Name: 'Diagnostic',
      EventType: 'Diagnostic',
      IsEmpty: false,
      PayloadSchemaVersion: '1.0',
      Payload: [
        {
          Severity: 'Debug',
          Message: `${events.length} event(s) had no JSON 1.0 form (${skipped} empty)`,
          ProcessId: pid,
          ThreadId: 0,
        },
      ],
    });
  }
  return {
    AgentVersion: options.agentVersion,
    AgentId: options.agentId,
    MessageSchemaVersion: '1.0',
    Events: out,
  };
}

/** A {@link MessageEncoder} writing JSON 1.0 (UTF-8) bodies. */
export function createJsonEncoder(options: JsonEncoderOptions): MessageEncoder {
  const encoder = new TextEncoder();
  return (events) => encoder.encode(JSON.stringify(toJsonSecurityMessage(events, options)));
}
