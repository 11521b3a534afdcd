import { describe, expect, it } from 'vitest';
import { isSecurityMessage, parsePropertyBag, formatPropertyBag } from '@vigil/protocol';
import { createRandom } from '../random.js';
import { jsonAgentBehaviour } from './json-agent.js';
import { DEMO_SUSPICIOUS_ADDRESSES, MESSAGE_SCENARIOS } from './scenarios.js';

interface WireEvent {
  Name: string;
  Category: string;
  IsEmpty: boolean;
  Payload: Record<string, unknown>[];
}

function eventsOf(body: Uint8Array): WireEvent[] {
  return (JSON.parse(new TextDecoder().decode(body)) as { Events: WireEvent[] }).Events;
}

const T0 = Date.UTC(2026, 10, 22, 12);

describe('simulated JSON-profile agent', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const behaviour = jsonAgentBehaviour({ random: createRandom(seed), hostName: 'gw' });
      return [T0, T0 + 5_000, T0 + 10_000].map((at) => new TextDecoder().decode(behaviour.tick(at)[0]!.body));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('marks every message as a security message and sends a snapshot first, then only triggered events', () => {
    const behaviour = jsonAgentBehaviour({ random: createRandom(1), hostName: 'gw' });
    const [first] = behaviour.tick(T0);
    const bag = parsePropertyBag(formatPropertyBag(first!.properties));
    expect(isSecurityMessage(bag)).toBe(true);
    expect(eventsOf(first!.body).map((event) => event.Name)).toEqual(
      expect.arrayContaining([
        'SystemInformation',
        'ListeningPorts',
        'LocalUsers',
        'FirewallConfiguration',
        'OSBaseline',
      ]),
    );
    const later = eventsOf(behaviour.tick(T0 + 5_000)[0]!.body);
    expect(later.every((event) => event.Category === 'Triggered')).toBe(true);
  });

  it('plays its scenario once, only after the benign period', () => {
    const behaviour = jsonAgentBehaviour({
      random: createRandom(3),
      hostName: 'cam',
      scenario: 'suspicious-ip',
      attackAfterMs: 10_000,
    });
    const remotes = (at: number) =>
      eventsOf(behaviour.tick(at)[0]!.body)
        .filter((event) => event.Name === 'ConnectionCreate')
        .flatMap((event) => event.Payload.map((item) => item.RemoteAddress));
    const suspicious = (list: unknown[]) =>
      list.filter((ip) => (DEMO_SUSPICIOUS_ADDRESSES as readonly unknown[]).includes(ip));
    expect(suspicious(remotes(T0))).toHaveLength(0);
    expect(behaviour.attacked?.()).toBe(false);
    expect(suspicious(remotes(T0 + 10_000))).toHaveLength(1);
    expect(behaviour.attacked?.()).toBe(true);
    expect(suspicious(remotes(T0 + 15_000))).toHaveLength(0);
  });

  it('every scenario produces the evidence its detection needs', () => {
    const evidence = Object.fromEntries(
      MESSAGE_SCENARIOS.map((scenario) => {
        const behaviour = jsonAgentBehaviour({
          random: createRandom(5),
          hostName: 'd',
          scenario,
          attackAfterMs: 0,
        });
        return [scenario, JSON.stringify(eventsOf(behaviour.tick(T0)[0]!.body))];
      }),
    );
    expect(evidence['brute-force']).toMatch(/"Result":"Fail"/);
    expect((evidence['brute-force']!.match(/"Result":"Fail"/g) ?? []).length).toBeGreaterThanOrEqual(20);
    expect(evidence['miner-process']).toContain('xmrig');
    expect(evidence['reverse-shell']).toContain('/dev/tcp/');
    expect(evidence['permissive-firewall']).not.toContain('"Action":"Deny"');
    expect((evidence['connection-spike']!.match(/"RemotePort":"23"/g) ?? []).length).toBeGreaterThanOrEqual(
      300,
    );
  });
});
