import { describe, expect, it } from 'vitest';
import {
  decodeSecurityMessage,
  validateSecurityMessage,
  type SecurityEvent,
  type WireSecurityMessage,
} from '@vigil/protocol';
import { createAggregator, createFakeClock, statisticsEvents } from '../core/index.js';
import { collectFixtureEvents } from './__fixtures__/collector-events.js';
import { createJsonEncoder, toJsonSecurityMessage, UNKNOWN_EXIT_STATUS } from './index.js';

const AGENT_ID = '0b5c2e5e-6a4e-4c43-9d55-3f1a1e2b7c90';
const options = { agentId: AGENT_ID, agentVersion: '0.1.0', utcOffsetMinutes: 60 };
const encode = createJsonEncoder(options);
const body = (events: readonly SecurityEvent[]): unknown =>
  JSON.parse(new TextDecoder().decode(encode(events)));

function expectStrictlyValid(events: readonly SecurityEvent[]): WireSecurityMessage {
  const message = body(events);
  const result = validateSecurityMessage(message, { strict: true });
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  return message as WireSecurityMessage;
}

const header = (name: string, extra: Partial<SecurityEvent> = {}) => ({
  id: 'a3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d',
  name,
  eventType: 'Security' as const,
  category: 'Triggered' as const,
  timeUtc: Date.UTC(2026, 10, 23, 9, 0, 0),
  format: 'json-1.0' as const,
  ...extra,
});

describe('JSON 1.0 encoder', () => {
  it("turns every collector's fixture events into strictly valid messages, one by one and together", async () => {
    const events = await collectFixtureEvents();
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual([
      'baseline',
      'firewall-configuration',
      'heartbeat',
      'listening-ports',
      'local-users',
      'login',
      'network-activity',
      'process',
      'system-information',
    ]);
    for (const event of events) expectStrictlyValid([event]);
    const message = expectStrictlyValid(events);
    expect(new Set(message.Events.map((e) => e.Name))).toEqual(
      new Set([
        'ConnectionCreate',
        'ListeningPorts',
        'LocalUsers',
        'Login',
        'ProcessCreate',
        'ProcessTerminate',
        'SystemInformation',
        'Diagnostic',
        'FirewallConfiguration',
        'OSBaseline',
      ]),
    );
  });

  it('round-trips through the hub decoder with ids, names and counts intact', async () => {
    const events = await collectFixtureEvents();
    const decoded = decodeSecurityMessage(encode(events), {});
    if (!decoded.ok) throw decoded.error;
    expect(decoded.message.agentId).toBe(AGENT_ID);
    const logins = decoded.message.events.find((e) => e.kind === 'login');
    const original = events.find((e) => e.kind === 'login');
    expect(logins?.id).toBe(original?.id);
    if (logins?.kind !== 'login' || original?.kind !== 'login') throw new Error('no login');
    expect(logins.attempts.map((a) => [a.userName, a.result, a.remoteAddress])).toEqual(
      original.attempts.map((a) => [a.userName, a.result, a.remoteAddress]),
    );
  });

  it('fills what the machine cannot know: exit status, owner of an unowned socket, baseline error', () => {
    const message = expectStrictlyValid([
      {
        ...header('ProcessTerminate'),
        kind: 'process',
        processes: [{ action: 'exit', processId: 7, hitCount: 1 }],
      },
      {
        ...header('ConnectionCreate', { id: 'b3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d' }),
        kind: 'network-activity',
        flows: [
          { ipVersion: 4, protocol: 'tcp', remoteAddress: '10.0.0.9', remotePort: '443', direction: 'out' },
        ],
      },
      {
        ...header('OSBaseline', { category: 'Periodic', id: 'c3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d' }),
        kind: 'baseline',
        checks: [{ checkId: 'ssh-root-login', result: 'pass', severity: 'critical', remediation: 'set it' }],
      },
    ]);
    expect(message.Events.map((e) => e.Payload[0])).toEqual([
      {
        Executable: '',
        ProcessId: 7,
        ExitStatus: UNKNOWN_EXIT_STATUS,
        ExtraDetails: { ExitStatusKnown: 'false' },
      },
      {
        RemoteAddress: '10.0.0.9',
        RemotePort: '443',
        Direction: 'Out',
        Protocol: 'TCP',
        ProcessId: 0,
        Executable: '',
      },
      {
        Description: '',
        CceId: 'ssh-root-login',
        Result: 'Pass',
        Error: '',
        Severity: 'Critical',
        ExtraDetails: { Remediation: 'set it' },
      },
    ]);
  });

  it('splits a process event holding starts and exits into ProcessCreate and ProcessTerminate', () => {
    let n = 0;
    const encoded = toJsonSecurityMessage(
      [
        {
          ...header('ProcessCreate'),
          kind: 'process',
          processes: [
            { action: 'exec', processId: 1, executable: '/bin/a', hitCount: 1 },
            { action: 'exit', processId: 2, exitStatus: 3, hitCount: 1 },
          ],
        },
      ],
      { ...options, newId: () => `00000000-0000-4000-8000-00000000000${(n += 1)}` },
    );
    expect(encoded.Events.map((e) => [e.Name, e.Id])).toEqual([
      ['ProcessCreate', 'a3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d'],
      ['ProcessTerminate', '00000000-0000-4000-8000-000000000001'],
    ]);
  });

  it("sends the core's own events (statistics, aggregated, configuration errors, logs) strictly valid", () => {
    const clock = createFakeClock(Date.UTC(2026, 10, 23));
    const aggregator = createAggregator({ clock, newId: () => 'd3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d' });
    const exec = { ...header('ProcessCreate'), kind: 'process' as const };
    const record = {
      action: 'exec' as const,
      executable: '/bin/sh',
      commandLine: 'sh',
      userId: '0',
      hitCount: 1,
    };
    aggregator.add({ ...exec, processes: [{ ...record, processId: 10 }] });
    aggregator.add({ ...exec, processes: [{ ...record, processId: 11 }] });
    const aggregated = aggregator.flushAll();
    const own: SecurityEvent[] = [
      ...aggregated,
      ...statisticsEvents({
        high: { collected: 5, dropped: 1 },
        low: { collected: 2, dropped: 0 },
        messages: { messagesSent: 3, messagesUnder4Kb: 2, totalFailed: 1 },
        now: clock.now(),
        newId: () => 'e3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d',
        format: 'json-1.0',
      }),
      {
        ...header('ConfigurationError', { eventType: 'Operational' }),
        kind: 'configuration-error',
        errors: [
          {
            configurationName: 'maxMessageSizeInBytes',
            errorType: 'NotOptimal',
            usedConfiguration: '204800',
            message: 'x',
          },
        ],
      },
      {
        ...header('Log'),
        kind: 'log',
        records: [{ message: 'boot', level: 'warn', filename: 'core.c', line: 12 }],
      },
    ];
    const message = expectStrictlyValid(own);
    const create = message.Events.find((e) => e.Name === 'ProcessCreate');
    expect(create?.Category).toBe('Triggered');
    expect(create?.Payload[0]?.ExtraDetails?.HitCount).toBe('2');
  });

  it("sends Category 'Aggregated' when asked, which the hub decoder reads hit counts from", () => {
    const clock = createFakeClock(0);
    const aggregator = createAggregator({ clock, newId: () => 'd3c1b7e2-4d5f-4a6b-8c9d-0e1f2a3b4c5d' });
    const event = { ...header('ProcessCreate'), kind: 'process' as const };
    for (const pid of [1, 2, 3]) {
      aggregator.add({
        ...event,
        processes: [{ action: 'exec', processId: pid, executable: '/bin/x', hitCount: 1 }],
      });
    }
    const legacy = createJsonEncoder({ ...options, aggregatedCategory: 'Aggregated' });
    const decoded = decodeSecurityMessage(legacy(aggregator.flushAll()));
    if (!decoded.ok) throw decoded.error;
    expect(decoded.message.events[0]?.aggregation?.hitCount).toBe(3);
  });

  it('writes TimestampLocal with the offset and TimestampUTC in Z', () => {
    const message = expectStrictlyValid([
      { ...header('Heartbeat', { category: 'Periodic' }), kind: 'heartbeat' },
    ]);
    expect(message.Events[0]).toMatchObject({
      TimestampUTC: '2026-11-23T09:00:00.000Z',
      TimestampLocal: '2026-11-23T10:00:00.000+01:00',
      Name: 'Diagnostic',
    });
  });

  it('never sends an empty Events array, even when nothing had a JSON form', () => {
    const message = expectStrictlyValid([
      {
        ...header('ConnectionCreate'),
        kind: 'network-activity',
        flows: [{ ipVersion: 4, protocol: 'tcp', remoteAddress: 'nowhere' }],
      },
    ]);
    expect(message.Events).toHaveLength(1);
    expect(message.Events[0]?.Name).toBe('Diagnostic');
  });
});
