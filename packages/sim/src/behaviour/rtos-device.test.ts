import { describe, expect, it } from 'vitest';
import {
  decodeRtosMessage,
  decodeSecurityMessage,
  formatPropertyBag,
  getMti,
  isSecurityMessage,
  parsePropertyBag,
} from '@vigil/protocol';
import { createRandom } from '../random.js';
import { rtosDeviceBehaviour } from './rtos-device.js';
import { DEMO_SUSPICIOUS_ADDRESSES } from './scenarios.js';

const T0 = Date.UTC(2026, 10, 22, 12);

describe('simulated Azure RTOS device', () => {
  it('sends FlatBuffers 2.3 bodies marked mti=2.3-1-0-0 and $.ifid, with no content type', () => {
    const [message] = rtosDeviceBehaviour({ random: createRandom(1) }).tick(T0);
    const bag = parsePropertyBag(formatPropertyBag(message!.properties));
    expect(isSecurityMessage(bag)).toBe(true);
    expect(getMti(bag)).toBe('2.3-1-0-0');
    expect(bag.system.contentType).toBeUndefined();
    // Not JSON: the body is the FlatBuffer itself, as the RTOS module sends it.
    expect(() => JSON.parse(new TextDecoder().decode(message!.body))).toThrow();
    const raw = decodeRtosMessage(message!.body);
    expect(raw.securityModuleId).toBe('defender-iot-micro-agent');
    expect(raw.securityModuleVersion).toBe(50_659_332);
    const decoded = decodeSecurityMessage(message!.body, bag);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.message.events.map((event) => event.name)).toEqual([
      'NetworkActivity',
      'SystemInformation',
      'Heartbeat',
    ]);
  });

  it('collects network activity every high-priority interval and the low-priority collectors every sixth', () => {
    const behaviour = rtosDeviceBehaviour({
      random: createRandom(2),
      highIntervalMs: 10_000,
      lowIntervalMs: 60_000,
    });
    const names = Array.from({ length: 8 }, (_, i) => {
      const [message] = behaviour.tick(T0 + i * 10_000);
      return decodeRtosMessage(message!.body).events.map((event) => event.payload.type);
    });
    expect(names[0]).toEqual(['NetworkActivity', 'SystemInformation', 'Heartbeat']);
    expect(names.slice(1, 6).every((list) => list.join() === 'NetworkActivity')).toBe(true);
    expect(names[6]).toEqual(['NetworkActivity', 'SystemInformation', 'Heartbeat']);
    // Event ids come from one counter: both 64-bit halves step by one per event.
    const ids = decodeRtosMessage(behaviour.tick(T0 + 120_000)[0]!.body).events.map((event) => event.id);
    expect(ids).toHaveLength(3);
    const low = (id: string) => BigInt(`0x${id.replaceAll('-', '').slice(16)}`);
    expect(low(ids[1]!) - low(ids[0]!)).toBe(1n);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const behaviour = rtosDeviceBehaviour({ random: createRandom(seed) });
      return [T0, T0 + 10_000, T0 + 20_000].map((at) =>
        Buffer.from(behaviour.tick(at)[0]!.body).toString('hex'),
      );
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('plays suspicious-ip once after the benign period, as a flow to a listed address', () => {
    const behaviour = rtosDeviceBehaviour({
      random: createRandom(3),
      scenario: 'suspicious-ip',
      attackAfterMs: 20_000,
    });
    const remotes = (at: number) =>
      decodeRtosMessage(behaviour.tick(at)[0]!.body)
        .events.flatMap((event) =>
          event.payload.type === 'NetworkActivity' ? event.payload.ipv4Activity : [],
        )
        .map((flow) => flow.remoteAddress)
        .filter((ip) => (DEMO_SUSPICIOUS_ADDRESSES as readonly string[]).includes(ip));
    expect(remotes(T0)).toEqual([]);
    expect(remotes(T0 + 10_000)).toEqual([]);
    expect(behaviour.attacked?.()).toBe(false);
    expect(remotes(T0 + 20_000)).toHaveLength(1);
    expect(behaviour.attacked?.()).toBe(true);
    expect(remotes(T0 + 30_000)).toEqual([]);
  });

  it('refuses a scenario an RTOS device has no collector for', () => {
    expect(() => rtosDeviceBehaviour({ random: createRandom(1), scenario: 'miner-process' })).toThrow(
      /cannot play miner-process/,
    );
  });
});
