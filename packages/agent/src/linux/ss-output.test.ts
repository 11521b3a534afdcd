import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowKey, parseSsSockets, parseSsTcpBytes, splitSsEndpoint } from './ss-output.js';

describe('ss output', () => {
  it('splits endpoints with brackets, interface suffixes and the dual-stack star', () => {
    expect(splitSsEndpoint('[::1]:631')).toEqual({ address: '::1', port: '631' });
    expect(splitSsEndpoint('127.0.0.53%lo:53')).toEqual({ address: '127.0.0.53', port: '53' });
    expect(splitSsEndpoint('*:51409')).toEqual({ address: '*', port: '51409' });
    expect(splitSsEndpoint('0.0.0.0:*')).toEqual({ address: '0.0.0.0', port: '*' });
  });

  it('parses socket lines with and without the Netid column', () => {
    const text = 'udp UNCONN 0 0 127.0.0.1:46615 0.0.0.0:*\ntcp LISTEN 1 128 *:51409 *:*\n';
    expect(parseSsSockets(text)).toEqual([
      {
        netid: 'udp',
        state: 'UNCONN',
        localAddress: '127.0.0.1',
        localPort: '46615',
        remoteAddress: '0.0.0.0',
        remotePort: '*',
      },
      {
        netid: 'tcp',
        state: 'LISTEN',
        localAddress: '*',
        localPort: '51409',
        remoteAddress: '*',
        remotePort: '*',
      },
    ]);
    expect(parseSsSockets('TIME-WAIT 0 0 [::1]:3 [::1]:4')[0]).toMatchObject({
      state: 'TIME-WAIT',
      remotePort: '4',
    });
  });

  it('reads byte counters from ss -tinH, falling back to bytes_acked', () => {
    const text = readFileSync(new URL('./__fixtures__/ss-tinH.txt', import.meta.url), 'utf8');
    const bytes = parseSsTcpBytes(text);
    expect(bytes.get(flowKey('10.0.2.15', 22, '10.0.2.2', 50000))).toEqual({
      bytesIn: 8812,
      bytesOut: 52311,
    });
    expect(bytes.get(flowKey('10.0.2.15', 55002, '93.184.216.34', 443))).toEqual({ bytesIn: 0, bytesOut: 1 });
    expect(bytes.get(flowKey('::ffff:127.0.0.1', 8081, '::ffff:127.0.0.1', 42000))).toEqual({
      bytesIn: 20,
      bytesOut: 10,
    });
    expect(bytes.size).toBe(3);
  });

  it('keeps only the wanted flows when asked for some', () => {
    const text = readFileSync(new URL('./__fixtures__/ss-tinH.txt', import.meta.url), 'utf8');
    const ssh = flowKey('10.0.2.15', 22, '10.0.2.2', 50000);
    const bytes = parseSsTcpBytes(text, new Set([ssh, flowKey('10.9.9.9', 1, '10.9.9.8', 2)]));
    expect([...bytes]).toEqual([[ssh, { bytesIn: 8812, bytesOut: 52311 }]]);
  });
});
