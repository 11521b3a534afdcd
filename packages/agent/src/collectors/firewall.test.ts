import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeSystem } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import { createFirewallCollector } from './firewall.js';
import { createMemorySystem, type MemorySystemContent } from './memory-system.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../linux/__fixtures__/${name}`, import.meta.url), 'utf8');
const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
const collect = (commands: MemorySystemContent['commands']) =>
  createFirewallCollector().collect(createCollectorContext({ system: createMemorySystem({ commands }) }));

describe('firewall collector', () => {
  it('prefers nft', async () => {
    const result = await collect({
      'nft -j list ruleset': ok(fixture('nft-ruleset.json')),
      'iptables-save -t filter': ok(''),
    });
    expect(result.errors).toEqual([]);
    const event = result.events[0];
    if (event?.kind !== 'firewall-configuration') throw new Error('no event');
    expect(event.name).toBe('FirewallConfiguration');
    expect(event.rules[0]?.chainName).toBe('input');
  });

  it('falls back to iptables-save and ip6tables-save when nft is missing', async () => {
    const v6 = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s fe80::/10 -j ACCEPT\nCOMMIT\n';
    const result = await collect({
      'iptables-save -t filter': ok(fixture('iptables-save.txt')),
      'ip6tables-save -t filter': ok(v6),
    });
    const event = result.events[0];
    if (event?.kind !== 'firewall-configuration') throw new Error('no event');
    expect(
      event.rules.filter((r) => r.extraDetails?.IpVersion === '6').map((r) => r.sourceAddress ?? r.action),
    ).toEqual(['fe80::/10', 'allow']);
    expect(result.errors.map((e) => e.code)).toEqual(['PARSE_ERROR']);
  });

  it('reports allow-all defaults for an empty ruleset', async () => {
    const result = await collect({
      'nft -j list ruleset': ok('{"nftables":[{"metainfo":{"version":"1.0.6"}}]}'),
    });
    const event = result.events[0];
    if (event?.kind !== 'firewall-configuration') throw new Error('no event');
    expect(event.rules.map((r) => [r.chainName, r.action, r.direction])).toEqual([
      ['INPUT', 'allow', 'in'],
      ['OUTPUT', 'allow', 'out'],
      ['FORWARD', 'allow', undefined],
    ]);
  });

  it('reports missing tools and denied permission as errors, with no event', async () => {
    const none = await collect({});
    expect(none.events).toEqual([]);
    expect(none.errors).toEqual([
      expect.objectContaining({ code: 'TOOL_MISSING', collectorId: 'firewall-configuration' }),
    ]);
    const denied = await collect({
      'nft -j list ruleset': {
        exitCode: 1,
        stdout: '',
        stderr: 'Operation not permitted (you must be root)',
      },
    });
    expect(denied.events).toEqual([]);
    expect(denied.errors.map((e) => [e.code, e.source])).toEqual([
      ['PERMISSION_DENIED', 'nft -j list ruleset'],
    ]);
  });

  it('runs on the live machine: rules, or a reported error, never a throw', async () => {
    const result = await createFirewallCollector().collect(
      createCollectorContext({ system: createNodeSystem() }),
    );
    if (result.events.length === 0) {
      expect(result.errors.length).toBeGreaterThan(0);
      expect(['TOOL_MISSING', 'PERMISSION_DENIED', 'COMMAND_FAILED']).toContain(result.errors.at(-1)?.code);
    } else {
      const event = result.events[0];
      expect(event?.kind === 'firewall-configuration' && event.rules.length).toBeGreaterThan(0);
    }
  });
});
