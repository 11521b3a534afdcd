import type { RtosEvent, RtosNetworkFlow } from '@vigil/protocol';
import type { Random } from '../random.js';
import { rtosEvent, rtosEventIds, rtosSecurityMessage } from '../messages/rtos-message.js';
import type { DeviceBehaviour, OutgoingMessage } from './behaviour.js';
import { DEMO_SUSPICIOUS_ADDRESSES, type MessageScenario } from './scenarios.js';

/** `ASC_HIGH_PRIORITY_INTERVAL` and `ASC_LOW_PRIORITY_INTERVAL` defaults, ms (reference §1.3). */
export const RTOS_DEFAULT_INTERVALS = { highMs: 10_000, lowMs: 60_000 } as const;

/**
 * `ASC_COLLECTOR_NETWORK_ACTIVITY_MAX_IPV4_OBJECTS_IN_CACHE`: flows beyond it are not recorded until
 * the next collection (§1.5), so no NetworkActivity event carries more.
 */
const MAX_FLOWS_PER_COLLECTION = 64;
const LOCAL_ADDRESS = '192.168.10.42';
/** What a benign RTOS sensor talks to: its hub (MQTT/TLS), NTP and DNS. */
const BENIGN_PEERS = [
  { address: '20.42.65.92', port: 8883, protocol: 'tcp' },
  { address: '162.159.200.1', port: 123, protocol: 'udp' },
  { address: '1.1.1.1', port: 53, protocol: 'udp' },
] as const;

/** The message scenarios an RTOS device can play: it reports network flows, not logins or processes. */
export const RTOS_MESSAGE_SCENARIOS: readonly MessageScenario[] = ['suspicious-ip'];

/** Options of {@link rtosDeviceBehaviour}. */
export interface RtosDeviceOptions {
  readonly random: Random;
  /** The high-priority (network activity) interval; default 10 s (§1.3). */
  readonly highIntervalMs?: number;
  /** The low-priority (system information, heartbeat) interval; default 60 s (§1.3). */
  readonly lowIntervalMs?: number;
  /** The message scenario to play after `attackAfterMs`; one of {@link RTOS_MESSAGE_SCENARIOS}. */
  readonly scenario?: MessageScenario;
  readonly attackAfterMs?: number;
}

/**
 * An Azure RTOS device with the security module in its RTOS_BASE configuration (§1.3, §1.6): the
 * NetworkActivity collector every high-priority interval, SystemInformation ("Azure RTOS 6.2", kernel
 * and hardware unset) and an empty Heartbeat every low-priority interval, every due collector's events
 * in one FlatBuffers message per collection. The first collection fires every collector, as the
 * module's core does at its (randomised) start. Listening ports, baseline, process and log collectors
 * are off in RTOS_BASE, so this device never sends them.
 */
export function rtosDeviceBehaviour(options: RtosDeviceOptions): DeviceBehaviour {
  const { random } = options;
  if (options.scenario !== undefined && !RTOS_MESSAGE_SCENARIOS.includes(options.scenario)) {
    throw new RangeError(
      `an RTOS device cannot play ${options.scenario}: it reports network flows only (${RTOS_MESSAGE_SCENARIOS.join(', ')})`,
    );
  }
  const highMs = options.highIntervalMs ?? RTOS_DEFAULT_INTERVALS.highMs;
  const lowMs = options.lowIntervalMs ?? RTOS_DEFAULT_INTERVALS.lowMs;
  const nextId = rtosEventIds(random);
  let startedAt: number | undefined;
  let lastHigh = -Infinity;
  let lastLow = -Infinity;
  let attacked = false;
  // A collector is due once its interval has elapsed, give or take a tenth: the fleet's timers drift.
  const due = (last: number, interval: number, now: number): boolean => now - last >= interval * 0.9;

  const flow = (remoteAddress: string, remotePort: number, protocol: 'tcp' | 'udp'): RtosNetworkFlow => ({
    localAddress: LOCAL_ADDRESS,
    remoteAddress,
    // RTOS fills ports, byte counts and protocol only (§1.7).
    common: {
      localPort: random.int(49_152, 65_535),
      remotePort,
      bytesIn: random.int(60, 4_000),
      bytesOut: random.int(60, 2_000),
      protocol,
      processId: 0,
      userId: 0,
    },
  });

  const flows = (attackNow: boolean): RtosNetworkFlow[] => {
    const benign = Array.from({ length: random.int(1, 3) }, () => {
      const peer = random.pick(BENIGN_PEERS);
      return flow(peer.address, peer.port, peer.protocol);
    });
    if (attackNow && options.scenario === 'suspicious-ip') {
      benign.push(flow(random.pick(DEMO_SUSPICIOUS_ADDRESSES), 9001, 'tcp'));
    }
    return benign.slice(0, MAX_FLOWS_PER_COLLECTION);
  };

  return {
    attacked: () => attacked,
    tick(now: number): OutgoingMessage[] {
      startedAt ??= now;
      const attackNow =
        !attacked && options.scenario !== undefined && now - startedAt >= (options.attackAfterMs ?? 0);
      const events: RtosEvent[] = [];
      // Collectors by priority, high first, each when its interval has elapsed (core.c, §1.3).
      if (due(lastHigh, highMs, now) || attackNow) {
        lastHigh = now;
        if (attackNow) attacked = true;
        events.push(
          rtosEvent(nextId(), now, highMs, {
            type: 'NetworkActivity',
            ipv4Activity: flows(attackNow),
            ipv6Activity: [],
          }),
        );
      }
      if (due(lastLow, lowMs, now)) {
        lastLow = now;
        events.push(
          rtosEvent(nextId(), now, lowMs, { type: 'SystemInformation', osInfo: 'Azure RTOS 6.2' }),
          rtosEvent(nextId(), now, lowMs, { type: 'Heartbeat' }),
        );
      }
      return events.length === 0 ? [] : [rtosSecurityMessage(events)];
    },
  };
}
