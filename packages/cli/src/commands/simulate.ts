import { parseConnectionString } from '@vigil/protocol';
import type { VigilClient } from '@vigil/api-client';
import {
  DEVICE_PROFILES,
  SCENARIOS,
  SCENARIO_DESCRIPTIONS,
  scenarioProblem,
  startFleet,
  type DeviceProfile,
  type FleetEvent,
  type HubServiceApi,
  type Scenario,
} from '@vigil/sim';
import { UsageError, type CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import { clientFrom, EXIT_REFUSED, parseIntegerOption, runApiCommand, withApiOptions } from './api-access.js';
import { untilStop } from './serve.js';
import { registerSimulatedDevices, type SimulatedDeviceSpec } from './simulate-identities.js';

interface SimulateFlags {
  readonly url: string;
  readonly ca?: string;
  readonly hostName?: string;
  readonly devices: string;
  readonly profile: string;
  readonly scenario?: string;
  readonly seed: string;
  readonly prefix: string;
  readonly tickSeconds: string;
  readonly durationSeconds?: string;
  readonly apiUrl?: string;
  readonly token?: string;
}

function seconds(name: string, text: string, min: number, max: number): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`${name} must be a number of seconds from ${min} to ${max}`);
  return value;
}

/** Checks the flags and lays out the fleet: the first devices play the scenarios, the rest are benign. */
function planFleet(flags: SimulateFlags): SimulatedDeviceSpec[] {
  if (!/^mqtts?:\/\/[^/]+:\d+\/?$/.test(flags.url)) {
    throw new UsageError(`--url must be the hub's MQTT address, mqtts://host:port (got ${flags.url})`);
  }
  const count = parseIntegerOption('--devices', flags.devices, 1, 10_000) ?? 1;
  if (!(DEVICE_PROFILES as readonly string[]).includes(flags.profile)) {
    throw new UsageError(`--profile must be one of ${DEVICE_PROFILES.join(', ')}`);
  }
  const scenarios = (flags.scenario ?? '').split(',').filter((name) => name !== '');
  const unknown = scenarios.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  }
  if (scenarios.length > count)
    throw new UsageError(`${scenarios.length} scenarios need at least as many --devices`);
  for (const scenario of scenarios) {
    const problem = scenarioProblem(flags.profile as DeviceProfile, scenario as Scenario);
    if (problem !== undefined) throw new UsageError(problem);
  }
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => ({
    deviceId: `${flags.prefix}${String(i + 1).padStart(width, '0')}`,
    profile: flags.profile as DeviceProfile,
    ...(i < scenarios.length ? { scenario: scenarios[i] as Scenario } : {}),
  }));
}

function describe(event: FleetEvent): string | undefined {
  const name = event.device.identity.deviceId;
  switch (event.kind) {
    case 'connected':
      return `  ${name} connected (${event.device.profile})`;
    case 'attack':
      return `  ${name} is now under attack: ${SCENARIO_DESCRIPTIONS[event.scenario]}${event.refused === undefined ? '' : ` (${event.refused} refused by the hub)`}`;
    case 'error':
      return `  ${name}: ${event.message}`;
    case 'published':
      return undefined;
  }
}

/** The hub service API calls certificate-churn makes, over the CLI's API client. */
export function hubServiceApiOf(client: VigilClient): HubServiceApi {
  const path = (name: string): string => `/api/hub/certificates/${encodeURIComponent(name)}`;
  return {
    addCertificate: async (name, pem) => {
      await client.request('PUT', path(name), { certificate: pem });
    },
    deleteCertificate: async (name) => {
      await client.request('DELETE', path(name));
    },
  };
}

async function simulate(io: CliIo, setExitCode: (code: number) => void, flags: SimulateFlags): Promise<void> {
  const specs = planFleet(flags);
  const seed = parseIntegerOption('--seed', flags.seed, 0, 2 ** 31 - 1) ?? 1;
  const tickMs = seconds('--tick-seconds', flags.tickSeconds, 0.05, 3600) * 1000;
  const durationMs =
    flags.durationSeconds === undefined
      ? undefined
      : seconds('--duration-seconds', flags.durationSeconds, 0.1, 86_400 * 365) * 1000;
  const ca = flags.ca === undefined ? undefined : new TextDecoder().decode(await io.readFile(flags.ca));
  // `--url` is the hub's MQTT address here; the API is `--api-url` (or VIGIL_URL).
  const { client, url } = clientFrom({
    ...(flags.apiUrl === undefined ? {} : { apiUrl: flags.apiUrl }),
    ...(flags.token === undefined ? {} : { token: flags.token }),
  });
  await runApiCommand(io, setExitCode, url, async () => {
    io.stdout(`Registering ${specs.length} simulated device(s) through ${url}…\n`);
    const step = Math.max(1, Math.floor(specs.length / 10));
    const devices = await registerSimulatedDevices(client, specs, (done, total) => {
      if (done % step === 0 || done === total) io.stdout(`  ${done}/${total} registered\n`);
    });
    // SAS tokens name the hub's host name, which its connection strings carry.
    const first = devices[0]!.identity;
    const hostName =
      flags.hostName ??
      parseConnectionString((await client.connectionString(first)).connectionString).hostName;
    io.stdout(
      `Connecting to ${flags.url} as ${hostName} (seed ${seed}, a message every ${tickMs / 1000} s each)…\n`,
    );
    const fleet = await startFleet({
      endpoint: { url: flags.url, hostName, ...(ca === undefined ? {} : { ca }) },
      devices,
      seed,
      tickMs,
      serviceApi: hubServiceApiOf(client),
      onEvent: (event) => {
        const line = describe(event);
        if (line !== undefined) io.stdout(`${line}\n`);
      },
    });
    const report = (): string => {
      const stats = fleet.stats();
      return `  ${stats.connected}/${devices.length} connected · ${stats.messages} messages (${stats.bytes} bytes) · ${stats.errors} errors`;
    };
    const ticker = setInterval(() => io.stdout(`${report()}\n`), 10_000);
    const reason = await untilStop(durationMs);
    clearInterval(ticker);
    await fleet.stop();
    io.stdout(`${reason}: stopped.\n${report()}\n`);
    if (fleet.stats().connected === 0) {
      io.stderr('error: no device could connect (check --url, --ca and that the hub is running)\n');
      setExitCode(EXIT_REFUSED);
    }
  });
}

/**
 * `vigil simulate`: N simulated devices speaking the real protocol to a running hub, benign plus the
 * named attack scenarios, deterministic for a seed. Identities are registered (or reused) through
 * the API's device routes, so it needs the API's address and an admin token too.
 */
export const registerSimulateCommand: RegisterCommand = (program, io, setExitCode) => {
  withApiOptions(
    program
      .command('simulate')
      .description('run simulated devices against a hub (benign behaviour plus attack scenarios)')
      .requiredOption('--url <mqtts-url>', "the hub's MQTT address, e.g. mqtts://localhost:8883")
      .option('--ca <file>', "the hub's CA certificate (PEM; <data-dir>/tls/ca.pem of the server)")
      .option('--host-name <name>', "the hub's host name in SAS tokens (default: from a connection string)")
      .option('--devices <n>', 'how many devices (1–10000)', '5')
      .option('--profile <profile>', `${DEVICE_PROFILES.join(', ')}`, 'json-agent')
      .option(
        '--scenario <names>',
        `comma-separated attack scenarios, one device each: ${SCENARIOS.join(', ')}`,
      )
      .option('--seed <n>', 'seed of the simulation (same seed, same behaviour)', '1')
      .option('--prefix <text>', 'device id prefix', 'sim-')
      .option('--tick-seconds <s>', "time between a device's messages", '5')
      .option('--duration-seconds <s>', 'stop after this long (default: until Ctrl-C)'),
    '--api-url',
  ).action(async (flags: SimulateFlags) => simulate(io, setExitCode, flags));
};
