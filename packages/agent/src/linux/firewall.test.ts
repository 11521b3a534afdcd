import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, splitRuleWords } from './firewall-iptables.js';
import { parseNftRuleset } from './firewall-nft.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('iptables-save parser', () => {
  const { rules, badLines } = parseIptablesSave(fixture('iptables-save.txt'));

  it('reads only the filter table, in chain order, with policies appended', () => {
    expect(rules.map((r) => `${r.chainName}#${r.priority}:${r.action}`)).toEqual([
      'INPUT#0:allow',
      'INPUT#1:allow',
      'INPUT#2:allow',
      'INPUT#3:deny',
      'INPUT#4:other',
      'INPUT#5:allow',
      'INPUT#6:deny',
      'FORWARD#0:other',
      'FORWARD#1:deny',
      'OUTPUT#0:deny',
      'OUTPUT#1:allow',
      'DOCKER-USER#0:other',
    ]);
    expect(rules.find((r) => r.extraDetails?.Comment !== undefined)?.extraDetails?.Comment).toBe(
      'ssh from the "lab" LAN',
    );
    expect(badLines).toEqual([22]);
  });

  it('maps addresses, ports, negation, ranges and directions', () => {
    expect(rules[2]).toMatchObject({
      direction: 'in',
      sourceAddress: '10.0.0.0/8',
      protocol: 'tcp',
      destinationPort: '22',
    });
    expect(rules[3]).toMatchObject({
      sourceAddress: '!(192.168.1.0/24)',
      protocol: 'udp',
      destinationPort: '161,162',
    });
    expect(rules[4]).toMatchObject({
      sourceAddress: '10.1.1.1-10.1.1.9',
      sourcePort: '1024-65535',
      destinationPort: '8080',
    });
    expect(rules[4]?.extraDetails?.Action).toBe('LOG');
    expect(rules[1]?.extraDetails?.State).toBe('RELATED,ESTABLISHED');
    expect(rules[0]?.extraDetails?.InInterface).toBe('lo');
    expect(rules.find((r) => r.chainName === 'FORWARD')?.direction).toBeUndefined();
    expect(rules.find((r) => r.chainName === 'OUTPUT')).toMatchObject({
      direction: 'out',
      destinationAddress: '203.0.113.66/32',
    });
    expect(rules[6]?.extraDetails).toMatchObject({ DefaultPolicy: 'true' });
  });

  it('splits quoted words', () => {
    expect(splitRuleWords('-A X -m comment --comment "a \\"b\\" c" -j ACCEPT')).toEqual([
      '-A',
      'X',
      '-m',
      'comment',
      '--comment',
      'a "b" c',
      '-j',
      'ACCEPT',
    ]);
  });
});

describe('nft JSON parser', () => {
  const rules = parseNftRuleset(fixture('nft-ruleset.json'));

  it('reads filter chains in order with policies appended, and leaves NAT out', () => {
    expect(rules.map((r) => `${r.chainName}#${r.priority}:${r.action}`)).toEqual([
      'input#0:allow',
      'input#1:allow',
      'input#2:allow',
      'input#3:deny',
      'input#4:other',
      'input#5:allow',
      'input#6:deny',
      'forward#0:deny',
      'output#0:deny',
      'output#1:other',
      'output#2:allow',
      'ssh_guard#0:other',
      'ssh_guard#1:deny',
    ]);
    expect(rules.some((r) => r.extraDetails?.Table === 'nat')).toBe(false);
  });

  it('maps matches, negation, sets, ranges, verdicts and hooks', () => {
    expect(rules[2]).toMatchObject({
      direction: 'in',
      sourceAddress: '10.0.0.0/8',
      destinationPort: '22',
      protocol: 'tcp',
    });
    expect(rules[2]?.extraDetails).toMatchObject({ Comment: 'ssh from lab', Handle: '8', Family: 'inet' });
    expect(rules[3]).toMatchObject({
      sourceAddress: '!(fd00::/8)',
      destinationPort: '161,162',
      protocol: 'udp',
    });
    expect(rules[4]).toMatchObject({
      destinationPort: '8000-8080',
      extraDetails: expect.objectContaining({ Action: 'jump ssh_guard' }),
    });
    expect(rules[5]).toMatchObject({ protocol: 'icmp' });
    expect(rules[1]?.extraDetails?.State).toBe('established,related');
    expect(rules[6]).toMatchObject({
      direction: 'in',
      extraDetails: expect.objectContaining({ DefaultPolicy: 'true' }),
    });
    expect(rules[7]?.direction).toBeUndefined();
    expect(rules[9]?.extraDetails?.Action).toBe('none');
    expect(rules[10]).toMatchObject({ direction: 'out', action: 'allow' });
  });

  it('rejects output that is not nft JSON with a parse error', () => {
    expect(() => parseNftRuleset('table inet filter {')).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR' }),
    );
    expect(() => parseNftRuleset('{}')).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });
});
