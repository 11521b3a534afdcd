import type { DeviceBehaviour, DeviceProfile } from './behaviour/behaviour.js';
import { jsonAgentBehaviour } from './behaviour/json-agent.js';
import { rtosDeviceBehaviour } from './behaviour/rtos-device.js';
import { isHubScenario, type MessageScenario, type Scenario } from './behaviour/scenarios.js';
import { telemetryBehaviour } from './behaviour/telemetry.js';
import { playHubScenario, type HubServiceApi } from './attacks/hub-attacks.js';
import {
  connectMqttDevice,
  type HubEndpoint,
  type MqttDevice,
  type SimulatedIdentity,
} from './device/mqtt-device.js';
import { createRandom, type Random } from './random.js';

/** One device of a simulated fleet. */
export interface FleetDevice {
  readonly identity: SimulatedIdentity;
  readonly profile: DeviceProfile;
  readonly scenario?: Scenario;
}

/** What the fleet reports as it runs (the demo prints these). */
export type FleetEvent =
  | { readonly kind: 'connected'; readonly device: FleetDevice }
  | { readonly kind: 'published'; readonly device: FleetDevice; readonly bytes: number }
  | {
      readonly kind: 'attack';
      readonly device: FleetDevice;
      readonly scenario: Scenario;
      /** For hub scenarios: how many of its attempts the hub refused. */
      readonly refused?: number;
    }
  | { readonly kind: 'error'; readonly device: FleetDevice; readonly message: string };

/** Options of {@link startFleet}. */
export interface FleetOptions {
  readonly endpoint: HubEndpoint;
  readonly devices: readonly FleetDevice[];
  readonly seed: number;
  /** Time between a device's messages (default 5 s); each device starts at a random offset within it. */
  readonly tickMs?: number;
  /** Benign time before a device plays its scenario (default two ticks). */
  readonly attackAfterMs?: number;
  readonly onEvent?: (event: FleetEvent) => void;
  /** The hub's service API, for certificate-churn; without it that scenario reports an error. */
  readonly serviceApi?: HubServiceApi;
  /** Injected for tests; defaults to the wall clock. */
  readonly now?: () => number;
}

/** Counters of a running fleet. */
export interface FleetStats {
  readonly connected: number;
  readonly messages: number;
  readonly bytes: number;
  readonly errors: number;
}

/** A running fleet. */
export interface Fleet {
  stats(): FleetStats;
  /** Stops every device and closes its connection. */
  stop(): Promise<void>;
}

function behaviourFor(
  device: FleetDevice,
  random: Random,
  tickMs: number,
  attackAfterMs: number,
): DeviceBehaviour {
  // Hub scenarios leave the device's own messages benign.
  const scenario: MessageScenario | undefined =
    device.scenario === undefined || isHubScenario(device.scenario) ? undefined : device.scenario;
  const attack = scenario === undefined ? {} : { scenario, attackAfterMs };
  switch (device.profile) {
    case 'telemetry':
      return telemetryBehaviour(random);
    case 'rtos':
      // The RTOS high/low priority intervals keep their 10 s : 60 s ratio (reference §1.3), scaled to the tick.
      return rtosDeviceBehaviour({ random, highIntervalMs: tickMs, lowIntervalMs: 6 * tickMs, ...attack });
    case 'json-agent':
      return jsonAgentBehaviour({ random, hostName: device.identity.deviceId, ...attack });
  }
}

/**
 * Connects every device and lets each publish on its own timer until stopped. A device whose connection
 * fails is reported and left out; the others carry on.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const tickMs = options.tickMs ?? 5_000;
  const now = options.now ?? Date.now;
  const root = createRandom(options.seed);
  const stats = { connected: 0, messages: 0, bytes: 0, errors: 0 };
  const report = (event: FleetEvent): void => {
    if (event.kind === 'error') stats.errors += 1;
    options.onEvent?.(event);
  };
  const timers: NodeJS.Timeout[] = [];
  const connections = new Set<MqttDevice>();
  const attacks = new Set<Promise<void>>();
  const peers = options.devices.map((device) => device.identity.deviceId);
  const attackAfterMs = options.attackAfterMs ?? 2 * tickMs;
  let stopped = false;

  await Promise.all(
    options.devices.map(async (device) => {
      const label = device.identity.deviceId + (device.identity.moduleId ?? '');
      // Separate streams, so a hub scenario's choices never shift the device's messages.
      const random = root.fork(label);
      const attackRandom = root.fork(`${label}:attack`);
      let behaviour: DeviceBehaviour;
      try {
        behaviour = behaviourFor(device, random, tickMs, attackAfterMs);
      } catch (error) {
        report({ kind: 'error', device, message: (error as Error).message });
        return;
      }
      let connection: MqttDevice;
      try {
        connection = await connectMqttDevice(options.endpoint, device.identity);
      } catch (error) {
        report({ kind: 'error', device, message: `connect failed: ${(error as Error).message}` });
        return;
      }
      connections.add(connection);
      stats.connected += 1;
      report({ kind: 'connected', device });
      const hubScenario =
        device.scenario !== undefined && isHubScenario(device.scenario) ? device.scenario : undefined;
      let attackReported = false;
      let startedAt: number | undefined;
      let busy = false;

      const playHub = async (scenario: NonNullable<typeof hubScenario>): Promise<void> => {
        busy = true;
        const outcome = await playHubScenario({
          scenario,
          endpoint: options.endpoint,
          identity: device.identity,
          connection,
          random: attackRandom,
          peers,
          ...(options.serviceApi === undefined ? {} : { serviceApi: options.serviceApi }),
        });
        if (outcome.connection !== connection) {
          connections.delete(connection);
          connection = outcome.connection;
          connections.add(connection);
          // Stopped while reconnecting: the new connection must not outlive the fleet.
          if (stopped) await connection.close();
        }
        for (const problem of outcome.problems) report({ kind: 'error', device, message: problem });
        report({ kind: 'attack', device, scenario, refused: outcome.refused });
        busy = false;
      };

      const tick = async (): Promise<void> => {
        if (busy || stopped) return;
        const at = now();
        startedAt ??= at;
        for (const message of behaviour.tick(at)) {
          try {
            await connection.publish(message);
            stats.messages += 1;
            stats.bytes += message.body.byteLength;
            report({ kind: 'published', device, bytes: message.body.byteLength });
          } catch (error) {
            report({ kind: 'error', device, message: `publish failed: ${(error as Error).message}` });
          }
        }
        if (attackReported || device.scenario === undefined) return;
        if (hubScenario !== undefined) {
          if (at - startedAt < attackAfterMs) return;
          attackReported = true;
          const attack = playHub(hubScenario);
          attacks.add(attack);
          void attack.finally(() => attacks.delete(attack));
        } else if (behaviour.attacked?.() === true) {
          attackReported = true;
          report({ kind: 'attack', device, scenario: device.scenario });
        }
      };
      const first = setTimeout(
        () => {
          if (stopped) return;
          void tick();
          timers.push(setInterval(() => void tick(), tickMs));
        },
        random.int(0, Math.max(0, tickMs - 1)),
      );
      timers.push(first);
    }),
  );

  return {
    stats: () => ({ ...stats }),
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...attacks]);
      await Promise.allSettled([...connections].map((connection) => connection.close()));
    },
  };
}
