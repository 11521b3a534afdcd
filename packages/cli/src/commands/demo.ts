import { rm } from 'node:fs/promises';
import { resolveServerSettings, type RunningServer } from '@vigil/server';
import { VigilClient } from '@vigil/api-client';
import { SCENARIO_DESCRIPTIONS, startFleet, type FleetDevice, type FleetEvent } from '@vigil/sim';
import type { CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import { registerDemoFleet } from './demo-fleet.js';
import { announce, startFromSettings, untilStop } from './serve.js';
import { hubServiceApiOf } from './simulate.js';

interface DemoFlags {
  readonly dataDir: string;
  readonly apiPort?: string;
  readonly mqttsPort?: string;
  readonly seed: string;
  readonly tickSeconds: string;
  /** Stop after this many seconds (for scripted runs); runs until Ctrl-C otherwise. */
  readonly durationSeconds?: string;
  readonly keep?: boolean;
}

const DEMO_DATA_DIR = '.vigil/demo';
/**
 * How often the demo's server runs its periodic checks (time-window custom alerts among them):
 * more often than a server's default, so the connection-spike and unauthorized-operations alerts
 * show as soon as the other ones.
 */
const DEMO_PERIODIC_CHECKS_MS = 5_000;

function describeFleetEvent(event: FleetEvent): string | undefined {
  const name = event.device.identity.deviceId;
  switch (event.kind) {
    case 'connected':
      return `  ${name} connected (${event.device.profile}${event.device.identity.moduleId === undefined ? '' : ', as its security module'})`;
    case 'attack':
      return `  ${name} is now under attack: ${SCENARIO_DESCRIPTIONS[event.scenario]}${event.refused === undefined ? '' : ` (${event.refused} refused by the hub)`}`;
    case 'error':
      return `  ${name}: ${event.message}`;
    case 'published':
      return undefined;
  }
}

async function summary(server: RunningServer): Promise<string> {
  const [active, recommendations] = await Promise.all([
    server.store.alerts.count({ status: 'active' }),
    server.store.recommendations.list({ state: 'raised', limit: 1000 }),
  ]);
  const stats = server.analytics.stats();
  return `  ${stats.records} messages analysed · ${active} active alerts · ${recommendations.length} open recommendations`;
}

/** The active alerts by type, most frequent first: what the dashboard's alert list will show. */
async function alertBreakdown(server: RunningServer): Promise<string> {
  const alerts = await server.store.alerts.list({ status: 'active', limit: 1000 });
  const byType = new Map<string, { title: string; count: number }>();
  for (const alert of alerts) {
    const entry = byType.get(alert.typeId) ?? { title: alert.title, count: 0 };
    entry.count += 1;
    byType.set(alert.typeId, entry);
  }
  return [...byType.entries()]
    .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
    .map(([typeId, { title, count }]) => `  ${String(count).padStart(3)} × ${typeId}  ${title}\n`)
    .join('');
}

/**
 * `vigil demo`: a fresh server on embedded SQLite with a simulated fleet whose attack scenarios raise
 * real alerts within a minute. Prints the dashboard URL and the admin token.
 */
export const registerDemoCommand: RegisterCommand = (program, io) => {
  program
    .command('demo')
    .description('run Vigil with a simulated fleet (benign devices plus one per attack scenario)')
    .option('--data-dir <dir>', 'where the demo keeps its data (wiped at start unless --keep)', DEMO_DATA_DIR)
    .option('--api-port <port>', 'port for the dashboard and API', '4280')
    .option('--mqtts-port <port>', 'MQTT over TLS port for the simulated devices', '8883')
    .option('--seed <number>', 'seed of the simulation (same seed, same fleet behaviour)', '1')
    .option('--tick-seconds <seconds>', "time between a device's messages", '5')
    .option('--duration-seconds <seconds>', 'stop after this long (default: run until Ctrl-C)')
    .option('--keep', 'keep the data of an earlier demo run')
    .action(async (flags: DemoFlags) => runDemo(io, flags));
};

async function runDemo(io: CliIo, flags: DemoFlags): Promise<void> {
  const settings = await resolveServerSettings({
    flags: { dataDir: flags.dataDir, apiPort: flags.apiPort, mqttsPort: flags.mqttsPort, wssPort: 'off' },
  });
  const seed = Number(flags.seed);
  const tickSeconds = Number(flags.tickSeconds);
  if (!Number.isInteger(seed) || !(tickSeconds >= 1 && tickSeconds <= 3600)) {
    throw new Error('--seed must be a whole number and --tick-seconds from 1 to 3600');
  }
  if (flags.keep !== true) await rm(settings.dataDir, { recursive: true, force: true });
  io.stdout('Starting Vigil with a demo fleet…\n');
  let fleetDevices: FleetDevice[] = [];
  const server = await startFromSettings(
    settings,
    async (store) => {
      fleetDevices =
        flags.keep === true && (await store.identities.list({ limit: 1 })).length > 0
          ? []
          : await registerDemoFleet(store, settings.dataDir);
    },
    DEMO_PERIODIC_CHECKS_MS,
  );
  announce(io, server);
  const mqtts = server.hub.addresses.mqtts;
  if (mqtts === null) throw new Error('the demo needs the MQTT over TLS listener');
  io.stdout(`\nSimulated devices (seed ${seed}, a message every ${tickSeconds} s each):\n`);
  const fleet = await startFleet({
    endpoint: {
      url: `mqtts://localhost:${mqtts.port}`,
      hostName: settings.hostName,
      ca: server.hub.caCertificatePem,
    },
    devices: fleetDevices,
    seed,
    tickMs: tickSeconds * 1000,
    attackAfterMs: 2 * tickSeconds * 1000,
    // The fleet is only registered on a first start, which is when the admin token is at hand.
    ...(server.firstAdminToken === undefined
      ? {}
      : {
          serviceApi: hubServiceApiOf(
            new VigilClient({ baseUrl: server.url, token: server.firstAdminToken }),
          ),
        }),
    onEvent: (event) => {
      const line = describeFleetEvent(event);
      if (line !== undefined) io.stdout(`${line}\n`);
    },
  });
  io.stdout(`\nOpen ${server.url} and sign in with the admin token above. Alerts appear within a minute.\n`);
  const ticker = setInterval(() => {
    summary(server).then(
      (text) => io.stdout(`${text}\n`),
      () => undefined,
    );
  }, 15_000);
  const duration = flags.durationSeconds === undefined ? undefined : Number(flags.durationSeconds);
  const reason = await untilStop(duration === undefined ? undefined : duration * 1000);
  clearInterval(ticker);
  await fleet.stop();
  io.stdout(
    `\n${reason}: stopped the fleet; active alerts by type:\n${await alertBreakdown(server)}${await summary(server)}\n`,
  );
  await server.stop();
}
