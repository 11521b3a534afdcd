import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isListening, parseSocketTable } from './proc-net.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('parseSocketTable', () => {
  it('reads IPv4 TCP sockets with states, owners and inodes', () => {
    const { entries, problems } = parseSocketTable('tcp', 4, fixture('proc-net-tcp'));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(5);
    expect(entries[2]).toEqual({
      protocol: 'tcp',
      ipVersion: 4,
      localAddress: '10.0.2.15',
      localPort: 22,
      remoteAddress: '10.0.2.2',
      remotePort: 50000,
      state: 1,
      uid: 0,
      inode: 33330,
    });
    // TIME_WAIT sockets belong to no process: inode 0.
    expect(entries[3]).toMatchObject({ remoteAddress: '93.184.216.34', remotePort: 443, state: 6, inode: 0 });
    expect(entries.filter(isListening).map((e) => `${e.localAddress}:${e.localPort}`)).toEqual([
      '0.0.0.0:22',
      '127.0.0.1:8080',
    ]);
  });

  it('reads IPv6 sockets including IPv4-mapped addresses', () => {
    const { entries } = parseSocketTable('tcp', 6, fixture('proc-net-tcp6'));
    expect(
      entries.map((e) => `[${e.localAddress}]:${e.localPort}>[${e.remoteAddress}]:${e.remotePort}`),
    ).toEqual([
      '[::]:22>[::]:0',
      '[::ffff:127.0.0.1]:8081>[::ffff:127.0.0.1]:42000',
      '[::1]:631>[::]:0',
      '[2001:db8::a0]:42001>[2001:db8::5]:80',
    ]);
  });

  it('keeps the good UDP lines and reports the broken one by line number', () => {
    const { entries, problems } = parseSocketTable('udp', 4, fixture('proc-net-udp'));
    expect(entries.map((e) => [e.localAddress, e.localPort, e.state])).toEqual([
      ['127.0.0.53', 53, 7],
      ['0.0.0.0', 68, 7],
      ['10.0.2.15', 40960, 1],
    ]);
    expect(problems).toEqual([{ line: 5, message: expect.stringContaining('columns') }]);
    expect(entries.filter(isListening)).toHaveLength(2);
  });

  it('reports a corrupt IPv6 address without losing the next line', () => {
    const { entries, problems } = parseSocketTable('udp', 6, fixture('proc-net-udp6'));
    expect(entries.map((e) => `${e.localAddress}:${e.localPort}`)).toEqual(['fe80::1:547']);
    expect(problems.map((p) => p.line)).toEqual([2]);
  });

  it('returns nothing for a header-only table', () => {
    expect(parseSocketTable('raw', 4, fixture('proc-net-tcp').split('\n')[0]!)).toEqual({
      entries: [],
      problems: [],
    });
  });
});
