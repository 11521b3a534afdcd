import type { DeviceBehaviour, DeviceProfile } from './behaviour/behaviour.js';
import { jsonAgentBehaviour } from './behaviour/json-agent.js';
import type { MessageScenario } from './behaviour/scenarios.js';
import { telemetryBehaviour } from './behaviour/telemetry.js';
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
  readonly scenario?: MessageScenario;
}

/** What the fleet reports as it runs (the demo prints these). */
export type FleetEvent =
  | { readonly kind: 'connected'; readonly device: FleetDevice }
  | { readonly kind: 'published'; readonly device: FleetDevice; readonly bytes: number }
  | { readonly kind: 'attack'; readonly device: FleetDevice; readonly scenario: MessageScenario }
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

function behaviourFor(device: FleetDevice, random: Random, attackAfterMs: number): DeviceBehaviour {
  switch (device.profile) {
    case 'telemetry':
      return telemetryBehaviour(random);
    case 'json-agent':
    case 'rtos':
      return jsonAgentBehaviour({
        random,
        hostName: device.identity.deviceId,
        ...(device.scenario === undefined ? {} : { scenario: device.scenario }),
        attackAfterMs,
      });
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
  const connections: MqttDevice[] = [];
  let stopped = false;

  await Promise.all(
    options.devices.map(async (device) => {
      const random = root.fork(device.identity.deviceId + (device.identity.moduleId ?? ''));
      const behaviour = behaviourFor(device, random, options.attackAfterMs ?? 2 * tickMs);
      let connection: MqttDevice;
      try {
        connection = await connectMqttDevice(options.endpoint, device.identity);
      } catch (error) {
        report({ kind: 'error', device, message: `connect failed: ${(error as Error).message}` });
        return;
      }
      connections.push(connection);
      stats.connected += 1;
      report({ kind: 'connected', device });
      let attackReported = false;
      const tick = async (): Promise<void> => {
        for (const message of behaviour.tick(now())) {
          try {
            await connection.publish(message);
            stats.messages += 1;
            stats.bytes += message.body.byteLength;
            report({ kind: 'published', device, bytes: message.body.byteLength });
          } catch (error) {
            report({ kind: 'error', device, message: `publish failed: ${(error as Error).message}` });
          }
        }
        if (!attackReported && device.scenario !== undefined && behaviour.attacked?.() === true) {
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
      await Promise.allSettled(connections.map((connection) => connection.close()));
    },
  };
}
