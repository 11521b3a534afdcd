import type { NetworkFlow } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { createFlowCache } from './flow-cache.js';

function v4(n: number, bytesOut = 100): NetworkFlow {
  return {
    ipVersion: 4,
    protocol: 'tcp',
    direction: 'out',
    localAddress: '10.0.0.2',
    localPort: String(40_000 + n),
    remoteAddress: '93.184.216.34',
    remotePort: '443',
    bytesOut,
  };
}

function v6(n: number): NetworkFlow {
  return {
    ipVersion: 6,
    protocol: 'udp',
    localAddress: 'fe80::1',
    localPort: String(n),
    remoteAddress: 'fe80::2',
    remotePort: '53',
    bytesIn: 10,
  };
}

describe('flow cache (reference §1.5)', () => {
  it('holds 64 IPv4 flows by default, counts the 65th and later as dropped until the next drain', () => {
    const cache = createFlowCache();
    for (let i = 0; i < 70; i += 1) cache.record(v4(i));
    const first = cache.drain();
    expect(first.flows).toHaveLength(64);
    expect(first.droppedIpv4).toBe(6);
    expect(first.droppedIpv6).toBe(0);
    // After the collection the cache has room again and the drop counter starts over.
    expect(cache.record(v4(99))).toBe(true);
    const second = cache.drain();
    expect(second.flows.map((f) => f.localPort)).toEqual(['40099']);
    expect(second.droppedIpv4).toBe(0);
  });

  it('keeps accumulating bytes of flows already cached while new ones are dropped', () => {
    const cache = createFlowCache({ maxIpv4: 2 });
    cache.record(v4(1, 100));
    cache.record(v4(2, 100));
    expect(cache.record(v4(3, 100))).toBe(false);
    expect(cache.record(v4(1, 50))).toBe(true);
    cache.record({ ...v4(1, 0), direction: 'in', bytesIn: 7, bytesOut: undefined });
    const { flows, droppedIpv4 } = cache.drain();
    expect(droppedIpv4).toBe(1);
    expect(flows[0]).toMatchObject({ localPort: '40001', bytesOut: 150, bytesIn: 7 });
  });

  it('limits each family separately', () => {
    const cache = createFlowCache({ maxIpv4: 1, maxIpv6: 3 });
    for (let i = 0; i < 5; i += 1) {
      cache.record(v4(i));
      cache.record(v6(i));
    }
    expect(cache.size).toEqual({ ipv4: 1, ipv6: 3 });
    const { droppedIpv4, droppedIpv6 } = cache.drain();
    expect([droppedIpv4, droppedIpv6]).toEqual([4, 2]);
  });

  it('takes a new limit into account for the next flows', () => {
    const cache = createFlowCache({ maxIpv4: 1 });
    cache.record(v4(1));
    cache.setLimits({ maxIpv4: 3 });
    cache.record(v4(2));
    cache.record(v4(3));
    expect(cache.drain().flows).toHaveLength(3);
  });

  it('clear() forgets flows and drop counts', () => {
    const cache = createFlowCache({ maxIpv4: 1 });
    cache.record(v4(1));
    cache.record(v4(2));
    cache.clear();
    expect(cache.drain()).toEqual({ flows: [], droppedIpv4: 0, droppedIpv6: 0 });
  });
});
