/**
 * `runAgent`: the runnable agent. Wires the Linux collectors, the core (scheduler, §1.4 state
 * machine, caches, queues, disk buffer), the output profile's encoder and the MQTT transport, and —
 * unless turned off — remote configuration through the module twin. Connectivity changes reach the
 * state machine at once; `stop()` writes everything still queued to the disk buffer and closes the
 * connection, so nothing collected is lost across restarts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeSystem } from '../linux/index.js';
import {
  createDefaultCollectors,
  selectCollectors,
  type Collector,
  type SystemAccess,
} from '../collectors/index.js';
import {
  createAgentCore,
  createSystemClock,
  DEFAULT_CORE_CONFIGURATION,
  mergeCoreConfiguration,
  type AgentCore,
  type AgentCoreConfigurationPatch,
  type Clock,
  type CoreLogger,
  type Random,
} from '../core/index.js';
import { collectorsOffByDefault, createOutputProfile } from '../encode/index.js';
import { createMqttTransport, type MqttTransport, type MqttTransportOptions } from '../transport/index.js';
import { AGENT_VERSION, loadOrCreateAgentId } from './agent-identity.js';
import type { AgentSettings, AgentSettingsInput } from './agent-settings.js';
import { createConsoleLogger } from './console-logger.js';
import { createRemoteConfiguration, type RemoteConfiguration } from './remote-configuration.js';
import {
  AgentConfigurationError,
  resolveAgentSettings,
  type AgentConfigurationViolation,
} from './resolve-settings.js';
import { createProtocolTwinCodec } from './protocol-twin-codec.js';
import type { TwinConfigurationCodec } from './twin-configuration.js';

/** Transport knobs a host (or a test) may turn; defaults suit a device. */
export type TransportTuning = Pick<
  MqttTransportOptions,
  | 'backoff'
  | 'keepaliveSeconds'
  | 'connectTimeoutMs'
  | 'sasTokenTtlSeconds'
  | 'sasRenewalMarginSeconds'
  | 'publishTimeoutMs'
  | 'twinRequestTimeoutMs'
>;

/** Options of {@link runAgent}: local settings plus where else to read them and the host's seams. */
export interface RunAgentOptions extends AgentSettingsInput {
  /** A JSON settings file (also `VIGIL_AGENT_CONFIG`). */
  readonly configFile?: string;
  /** Environment to read `VIGIL_AGENT_*` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Default JSON lines on stderr at `logLevel`. */
  readonly logger?: CoreLogger;
  /** Collectors to run; default every shipped collector that runs on this platform. */
  readonly collectorInstances?: readonly Collector[];
  /** The machine collectors read; default the real one. */
  readonly system?: SystemAccess;
  /** Core settings applied last (milliseconds and bytes, as the core takes them). */
  readonly coreConfiguration?: AgentCoreConfigurationPatch;
  readonly transportTuning?: TransportTuning;
  /** How the twin's configuration object is read; default the codec over `@vigil/protocol` twin-config. */
  readonly twinCodec?: TwinConfigurationCodec;
}

/** A running agent. */
export interface RunningAgent {
  readonly settings: AgentSettings;
  readonly agentId: string;
  readonly core: AgentCore;
  readonly transport: MqttTransport;
  /** Absent when `remoteConfiguration` is false. */
  readonly remoteConfiguration: RemoteConfiguration | undefined;
  /** Stops collecting, writes what is queued to the disk buffer, disconnects. Idempotent. */
  stop(): Promise<void>;
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 1000));

/** The core settings the local configuration asks for. */
function corePatch(settings: AgentSettings): AgentCoreConfigurationPatch {
  const intervals = settings.priorityIntervalsSeconds ?? {};
  const enabled: Record<string, boolean> = {};
  for (const id of collectorsOffByDefault(settings.profile)) enabled[id] = false;
  Object.assign(enabled, settings.collectors);
  const entries: [string, unknown][] = [
    ['collectorsEnabled', enabled],
    [
      'priorityIntervalsMs',
      Object.fromEntries(Object.entries(intervals).map(([group, s]) => [group, seconds(s)])),
    ],
    ['firstCollectionMs', seconds(settings.firstCollectionSeconds)],
    ['pendingTimeMs', seconds(settings.pendingTimeSeconds)],
    ['highPriorityMessageFrequencyMs', seconds(settings.highPriorityMessageFrequencySeconds)],
    ['lowPriorityMessageFrequencyMs', seconds(settings.lowPriorityMessageFrequencySeconds)],
    ['maxLocalCacheSizeInBytes', settings.maxLocalCacheSizeInBytes],
    ['maxMessageSizeInBytes', settings.maxMessageSizeInBytes],
    ['diskBufferMaxBytes', settings.diskBufferMaxBytes],
    ['maxIpv4FlowsInCache', settings.maxFlowsInCache],
    ['maxIpv6FlowsInCache', settings.maxFlowsInCache],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

function readPem(path: string | undefined, key: string, problems: AgentConfigurationViolation[]) {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push({ path: key, message: `cannot read ${path}: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * Starts the agent: validates the configuration (throws {@link AgentConfigurationError} listing
 * every problem), opens the disk buffer, starts collecting and dials the hub. Resolves once running;
 * the hub need not be reachable (the agent buffers and keeps retrying).
 */
export async function runAgent(options: RunAgentOptions = {}): Promise<RunningAgent> {
  const {
    configFile,
    env,
    clock: givenClock,
    random,
    logger: givenLogger,
    collectorInstances: givenCollectors,
    system,
    coreConfiguration,
    transportTuning,
    twinCodec,
    ...input
  } = options;
  const settings = resolveAgentSettings({
    ...(configFile === undefined ? {} : { file: configFile }),
    ...(env === undefined ? {} : { env }),
    options: input,
  });
  const problems: AgentConfigurationViolation[] = [];
  const caPem = readPem(settings.caFile, 'caFile', problems);
  const certificatePem = readPem(settings.certificateFile, 'certificateFile', problems);
  const privateKeyPem = readPem(settings.privateKeyFile, 'privateKeyFile', problems);
  if (problems.length > 0) throw new AgentConfigurationError(problems);

  const clock = givenClock ?? createSystemClock();
  const logger = givenLogger ?? createConsoleLogger(settings.logLevel);
  const agentId = settings.agentId ?? loadOrCreateAgentId(settings.dataDir);
  const profile = createOutputProfile({
    name: settings.profile,
    agentId,
    agentVersion: AGENT_VERSION,
    aggregatedCategory: settings.aggregatedCategory,
  });
  const patch = mergeCoreConfiguration(
    mergeCoreConfiguration(DEFAULT_CORE_CONFIGURATION, corePatch(settings)),
    coreConfiguration,
  );
  const transport = createMqttTransport({
    connectionString: settings.connectionString,
    ...(settings.moduleId === undefined ? {} : { moduleId: settings.moduleId }),
    ...(certificatePem === undefined ? {} : { certificatePem }),
    ...(privateKeyPem === undefined ? {} : { privateKeyPem }),
    tls: settings.transport === 'mqtt' ? false : caPem === undefined ? {} : { caPem },
    properties: profile.properties,
    clock,
    logger,
    productInfo: `vigil-agent/${AGENT_VERSION}`,
    ...(random === undefined ? {} : { random }),
    ...transportTuning,
  });
  const collectors =
    givenCollectors ??
    selectCollectors(
      createDefaultCollectors({
        ...(settings.dockerSocket === undefined ? {} : { containers: { socketPath: settings.dockerSocket } }),
        ...(settings.edgeDeploymentFile === undefined
          ? {}
          : { edgeDeployment: { deploymentFile: settings.edgeDeploymentFile } }),
      }),
      { platform: process.platform },
    );
  const core = createAgentCore({
    clock,
    collectors,
    context: { system: system ?? createNodeSystem(), newId: randomUUID, format: profile.name },
    sender: transport,
    diskBufferDir: join(settings.dataDir, 'buffer'),
    configuration: patch,
    encoder: profile.encoder,
    logger,
    ...(random === undefined ? {} : { random }),
  });
  const remote = settings.remoteConfiguration
    ? createRemoteConfiguration({
        twin: transport.twin,
        core,
        codec: twinCodec ?? createProtocolTwinCodec(),
        base: patch,
        clock,
        logger,
        newId: randomUUID,
        format: profile.name,
      })
    : undefined;
  transport.onConnectionChange((up) => {
    core.connectivityChanged();
    if (up) void remote?.refresh();
  });
  await core.start();
  transport.start();
  // The core's timers are unref'd; this keeps a standalone agent process alive until stop().
  const alive = setInterval(() => undefined, 1 << 30);
  let stopping: Promise<void> | undefined;
  logger.log('info', 'agent started', {
    agentId,
    profile: profile.name,
    clientId: transport.settings.clientId,
  });
  return {
    settings,
    agentId,
    core,
    transport,
    remoteConfiguration: remote,
    stop() {
      stopping ??= (async () => {
        remote?.stop();
        await core.stop();
        await transport.stop();
        clearInterval(alive);
        logger.log('info', 'agent stopped', { agentId });
      })();
      return stopping;
    },
  };
}
