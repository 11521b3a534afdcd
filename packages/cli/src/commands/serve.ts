import { decodeSecurityMessage } from '@vigil/protocol';
import {
  analyticsServerOptions,
  resolveServerSettings,
  startServer,
  type RunningServer,
  type ServerSettings,
} from '@vigil/server';
import type { CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';

interface ServeFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly postgresUrl?: string;
  readonly hostName?: string;
  readonly apiHost?: string;
  readonly apiPort?: string;
  readonly mqttsPort?: string;
  readonly wssPort?: string;
  readonly mqttPort?: string;
  readonly maxConnections?: string;
  readonly alertDestinations?: string;
  readonly deviceSilentAfter?: string;
  readonly ipFilterLargeRangeIpv4Prefix?: string;
  readonly ipFilterLargeRangeIpv6Prefix?: string;
}

/** Starts the server from settings; shared by `serve` and `demo` (which also checks more often). */
export async function startFromSettings(
  settings: ServerSettings,
  prepare?: Parameters<typeof startServer>[0]['prepare'],
  periodicChecksMs?: number,
): Promise<RunningServer> {
  return startServer({
    dataDir: settings.dataDir,
    ...(settings.postgresUrl === undefined ? {} : { postgresUrl: settings.postgresUrl }),
    hostName: settings.hostName,
    listeners: {
      mqtts: settings.mqttsPort === 'off' ? false : { port: settings.mqttsPort },
      wss: settings.wssPort === 'off' ? false : { port: settings.wssPort },
      mqtt: settings.mqttPort === undefined ? false : { port: settings.mqttPort, host: '127.0.0.1' },
    },
    hubLimits: { maxConnections: settings.maxConnections },
    api: { port: settings.apiPort, host: settings.apiHost },
    decode: decodeSecurityMessage,
    ...(settings.threatIntel === undefined ? {} : { threatIntelFeeds: settings.threatIntel.feeds }),
    ...analyticsServerOptions(settings),
    ...(prepare === undefined ? {} : { prepare }),
    ...(periodicChecksMs === undefined ? {} : { periodicChecksMs }),
  });
}

/** Prints where everything listens and, on the very first start, the admin token (shown once). */
export function announce(io: CliIo, server: RunningServer): void {
  const { addresses } = server.hub;
  io.stdout(`Vigil is running.\n  dashboard and API  ${server.url}\n`);
  if (addresses.mqtts !== null) io.stdout(`  MQTT over TLS      port ${addresses.mqtts.port}\n`);
  if (addresses.wss !== null)
    io.stdout(`  MQTT over WSS      port ${addresses.wss.port} (/$iothub/websocket)\n`);
  if (addresses.mqtt !== null)
    io.stdout(`  plain MQTT         127.0.0.1:${addresses.mqtt.port} (development only)\n`);
  if (server.firstAdminToken !== undefined) {
    io.stdout(`\nAdmin API token (shown once; keep it safe):\n  ${server.firstAdminToken}\n`);
  }
}

/**
 * Resolves with the reason to stop: SIGINT, SIGTERM, or the duration running out (when given).
 * Removes its signal handlers and timer either way.
 */
export function untilStop(durationMs?: number): Promise<string> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (reason: string): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer !== undefined) clearTimeout(timer);
      resolve(reason);
    };
    const onSignal = (signal: NodeJS.Signals): void => finish(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (durationMs !== undefined) timer = setTimeout(() => finish('time is up'), durationMs);
  });
}

/** `vigil serve`: hub, security center, API and dashboard in one process. */
export const registerServeCommand: RegisterCommand = (program, io) => {
  program
    .command('serve')
    .description('run the hub, security center, API and dashboard (embedded SQLite unless --postgres-url)')
    .option('--config <file>', 'a JSON settings file')
    .option('--data-dir <dir>', 'where the database, TLS material and tokens live (default .vigil/data)')
    .option('--postgres-url <url>', 'use PostgreSQL instead of SQLite')
    .option('--host-name <name>', 'the hub host name devices use (default localhost)')
    .option('--api-host <address>', 'interface for the API and dashboard (default 127.0.0.1)')
    .option('--api-port <port>', 'port for the API and dashboard (default 4280)')
    .option('--mqtts-port <port>', 'MQTT over TLS (default 8883; off to disable, 0 for any free port)')
    .option(
      '--wss-port <port>',
      'MQTT over secure WebSocket (default 443; off to disable, 0 for any free port)',
    )
    .option('--mqtt-port <port>', 'plain MQTT on 127.0.0.1, for development (off unless given)')
    .option(
      '--max-connections <count>',
      'open device connections the hub accepts per listener (default 10000; the open-file limit must allow them)',
    )
    .option(
      '--alert-destinations <json>',
      'a JSON list of webhooks and syslog collectors receiving alert events (none by default)',
    )
    .option('--device-silent-after <duration>', 'silence before a device-silent alert (default PT72H)')
    .option(
      '--ip-filter-large-range-ipv4-prefix <length>',
      'an accepting IPv4 IP-filter rule with a shorter prefix is a large range (default 16)',
    )
    .option('--ip-filter-large-range-ipv6-prefix <length>', 'the same for IPv6 (default 48)')
    .addHelpText(
      'after',
      '\nEnvironment: VIGIL_DATA_DIR, VIGIL_POSTGRES_URL, VIGIL_HOST_NAME, VIGIL_API_HOST, VIGIL_API_PORT,\nVIGIL_MQTTS_PORT, VIGIL_WSS_PORT, VIGIL_MQTT_PORT, VIGIL_MAX_CONNECTIONS, VIGIL_ALERT_DESTINATIONS, VIGIL_DEVICE_SILENT_AFTER,\nVIGIL_IP_FILTER_LARGE_RANGE_IPV4_PREFIX, VIGIL_IP_FILTER_LARGE_RANGE_IPV6_PREFIX. Flags win over the\nenvironment, which wins over --config.',
    )
    .action(async (flags: ServeFlags) => {
      const { config, ...rest } = flags;
      const settings = await resolveServerSettings({
        ...(config === undefined ? {} : { file: config }),
        env: process.env,
        flags: rest,
      });
      const server = await startFromSettings(settings);
      announce(io, server);
      const signal = await untilStop();
      io.stdout(`\n${signal}: stopping (finishing in-flight work)…\n`);
      await server.stop();
    });
};
