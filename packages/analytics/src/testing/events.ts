import type {
  LoginAttempt,
  NetworkFlow,
  ProcessRecord,
  SecurityEvent,
  SecurityEventHeader,
} from '@vigil/protocol';
import type { DeviceMessage } from '../detect/context.js';

/** Test builders for normalised events, so detection tests read like the scenario they describe. */
let counter = 0;

function header(
  name: string,
  at: number,
  category: SecurityEventHeader['category'] = 'Triggered',
): SecurityEventHeader {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    name,
    eventType: 'Security',
    category,
    timeUtc: at,
    format: 'json-1.0',
  };
}

/** A device message holding the given events. */
export function deviceMessage(
  deviceId: string,
  events: SecurityEvent[],
  receivedAt = events[0]?.timeUtc ?? 0,
): DeviceMessage {
  return {
    deviceId,
    moduleId: 'azureiotsecurity',
    receivedAt,
    message: {
      format: 'json-1.0',
      agentId: 'agent',
      agentVersion: '1',
      schemaVersion: '1.0',
      events,
      warnings: [],
    },
  };
}

/** A ProcessCreate event. */
export function processCreate(
  at: number,
  commandLine: string,
  extra: Partial<ProcessRecord> = {},
): SecurityEvent {
  return {
    ...header('ProcessCreate', at),
    kind: 'process',
    processes: [
      {
        action: 'exec',
        commandLine,
        executable: commandLine.split(' ')[0],
        processId: 4242,
        hitCount: 1,
        ...extra,
      },
    ],
  };
}

/** A ConnectionCreate event with outbound TCP flows to the given addresses. */
export function connections(at: number, remotes: string[], extra: Partial<NetworkFlow> = {}): SecurityEvent {
  return {
    ...header('ConnectionCreate', at),
    kind: 'network-activity',
    flows: remotes.map((remoteAddress) => ({
      ipVersion: remoteAddress.includes(':') ? 6 : 4,
      protocol: 'tcp',
      direction: 'out',
      remoteAddress,
      remotePort: '443',
      executable: '/usr/bin/curl',
      ...extra,
    })),
  };
}

/** A Login event with one attempt per result. */
export function logins(
  at: number,
  results: ('success' | 'fail')[],
  extra: Partial<LoginAttempt> = {},
): SecurityEvent {
  return {
    ...header('Login', at),
    kind: 'login',
    attempts: results.map((result) => ({
      processId: 1,
      userName: 'pi',
      operation: 'PAM:authentication',
      executable: '/usr/sbin/sshd',
      remoteAddress: '45.155.205.7',
      result,
      ...extra,
    })),
  };
}

/** The body of any event kind (the header left out), distributed over the union. */
export type EventBody = DistributiveOmit<SecurityEvent, keyof SecurityEventHeader>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Any periodic event, with a header filled in. */
export function snapshot(at: number, body: EventBody, name: string): SecurityEvent {
  return { ...header(name, at, 'Periodic'), ...body };
}
