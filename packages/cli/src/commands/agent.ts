import { AgentConfigurationError, runAgent, type AgentSettingsInput } from '@vigil/agent';
import type { CliIo } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import { untilStop } from './serve.js';

interface AgentFlags {
  readonly config?: string;
  readonly connectionString?: string;
  readonly caFile?: string;
  readonly transport?: string;
  readonly profile?: string;
  readonly dataDir?: string;
  readonly logLevel?: string;
  readonly durationSeconds?: string;
  readonly dockerSocket?: string;
  readonly edgeDeploymentFile?: string;
}

/** Exit code of a configuration the agent refuses (every violation is printed). */
const EXIT_INVALID_CONFIGURATION = 2;

async function runLocalAgent(
  io: CliIo,
  setExitCode: (code: number) => void,
  flags: AgentFlags,
): Promise<void> {
  // The agent validates every setting (file < VIGIL_AGENT_* < these flags) and names each problem.
  const options = {
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.connectionString === undefined ? {} : { connectionString: flags.connectionString }),
    ...(flags.caFile === undefined ? {} : { caFile: flags.caFile }),
    ...(flags.transport === undefined ? {} : { transport: flags.transport }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
    ...(flags.logLevel === undefined ? {} : { logLevel: flags.logLevel }),
    ...(flags.dockerSocket === undefined ? {} : { dockerSocket: flags.dockerSocket }),
    ...(flags.edgeDeploymentFile === undefined ? {} : { edgeDeploymentFile: flags.edgeDeploymentFile }),
  } as AgentSettingsInput & { readonly configFile?: string };
  const durationMs = flags.durationSeconds === undefined ? undefined : Number(flags.durationSeconds) * 1000;
  if (durationMs !== undefined && !(durationMs > 0)) {
    io.stderr('error: --duration-seconds must be a positive number\n');
    setExitCode(EXIT_INVALID_CONFIGURATION);
    return;
  }
  let agent;
  try {
    agent = await runAgent(options);
  } catch (error) {
    if (!(error instanceof AgentConfigurationError)) throw error;
    io.stderr(`refused: ${error.code}: the agent configuration has ${error.violations.length} problem(s)\n`);
    for (const violation of error.violations) io.stderr(`  ${violation.path}: ${violation.message}\n`);
    setExitCode(EXIT_INVALID_CONFIGURATION);
    return;
  }
  const { settings } = agent;
  io.stdout(
    `Vigil agent ${agent.agentId} running (${settings.profile} over ${settings.transport}; queued events kept in ${settings.dataDir}).\n` +
      `Logs are JSON lines on standard error. ${durationMs === undefined ? 'Ctrl-C stops it.' : ''}\n`,
  );
  const reason = await untilStop(durationMs);
  io.stdout(`${reason}: stopping (what is still queued goes to the disk buffer)…\n`);
  await agent.stop();
  io.stdout('stopped.\n');
}

/** `vigil agent`: runs the device-side security agent on this machine (`runAgent` of `@vigil/agent`). */
export const registerAgentCommand: RegisterCommand = (program, io, setExitCode) => {
  program
    .command('agent')
    .description('run the security agent on this machine (Linux collectors → hub over MQTT)')
    .option('--config <file>', 'a JSON settings file (also VIGIL_AGENT_CONFIG)')
    .option('--connection-string <text>', 'the device or azureiotsecurity module connection string')
    .option('--ca-file <file>', "the hub's CA certificate (PEM); default the system's roots")
    .option('--transport <kind>', 'mqtts (default) or mqtt (plain TCP, loopback development only)')
    .option('--profile <name>', 'json-1.0 (default) or flatbuffers-2.3')
    .option('--data-dir <dir>', 'disk buffer and agent id (default /var/lib/vigil-agent)')
    .option('--log-level <level>', 'debug, info (default), warn or error')
    .option(
      '--docker-socket <path>',
      'Docker engine socket for the containers collector (default /var/run/docker.sock)',
    )
    .option('--edge-deployment-file <file>', 'IoT Edge deployment manifest or $edgeAgent twin JSON to assess')
    .option('--duration-seconds <s>', 'stop after this long (default: until Ctrl-C)')
    .addHelpText(
      'after',
      '\nEvery setting can also come from the file or VIGIL_AGENT_* variables (e.g. VIGIL_AGENT_CONNECTION_STRING);\nflags win over the environment, which wins over the file.\n\nOn a device, start the agent with the vigil-agent launcher of @vigil/agent (bin/vigil-agent) instead:\nit loads only the agent and execs node --max-semi-space-size=1 --lite-mode, which keeps it near 55 MB RSS\n(lite mode cannot be set through NODE_OPTIONS).',
    )
    .action(async (flags: AgentFlags) => runLocalAgent(io, setExitCode, flags));
};
