/**
 * Remote configuration through the module twin (reference/azure-security-module.md §2.5; the
 * reconnection flow of reference/iothub-mqtt.md §3.3): on every connection the agent GETs the twin
 * and applies the desired configuration object, then listens for desired pushes and ignores those
 * whose `$version` is not newer than what it has. Each outcome is reported back as the effective
 * configuration; a rejected one also becomes a ConfigurationError event while the last good
 * configuration stays in force.
 */
import type { SecurityEvent, WireFormat } from '@vigil/protocol';
import type { AgentCore, AgentCoreConfiguration, Clock, CoreLogger } from '../core/index.js';
import type { TwinClient, TwinObject } from '../transport/index.js';
import type { ConfigurationProblem, TwinConfigurationCodec } from './twin-configuration.js';

/** Options for {@link createRemoteConfiguration}. */
export interface RemoteConfigurationOptions {
  readonly twin: TwinClient;
  readonly core: AgentCore;
  readonly codec: TwinConfigurationCodec;
  /** The local configuration remote settings apply on top of (a removed desired key returns to it). */
  readonly base: AgentCoreConfiguration;
  readonly clock: Clock;
  readonly logger: CoreLogger;
  readonly newId: () => string;
  readonly format: WireFormat;
}

/** The remote configuration controller. */
export interface RemoteConfiguration {
  /** GETs the twin, applies it and reports (call on every connection). */
  refresh(): Promise<void>;
  /** Resolves when no twin work is in flight. */
  idle(): Promise<void>;
  /** The desired `$version` last applied or rejected. */
  readonly desiredVersion: number | undefined;
  /** Problems of the last desired configuration (empty when it was clean). */
  readonly problems: readonly ConfigurationProblem[];
  stop(): void;
}

type Mutable = Record<string, unknown>;

/** Deep merge with `null` deleting, as twin patches do (reference/iothub-mqtt.md §4). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const base: Mutable =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Mutable) } : {};
  for (const [key, value] of Object.entries(patch as Mutable)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

/** Wires the twin to the core; call `refresh()` once connected. */
export function createRemoteConfiguration(options: RemoteConfigurationOptions): RemoteConfiguration {
  const { twin, core, codec, logger } = options;
  let section: unknown;
  let version: number | undefined;
  let problems: readonly ConfigurationProblem[] = [];
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const serial = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(work).catch((error: unknown) => {
      logger.log('warn', 'remote configuration: twin request failed', {
        reason: error instanceof Error ? error.message : String(error),
      });
    });
    return chain;
  };

  function errorEvent(found: readonly ConfigurationProblem[]): SecurityEvent {
    const used = JSON.stringify(codec.report(core.configuration));
    return {
      id: options.newId(),
      name: 'ConfigurationError',
      eventType: 'Operational',
      category: 'Triggered',
      timeUtc: options.clock.now(),
      format: options.format,
      kind: 'configuration-error',
      errors: found.map((p) => ({ ...p, usedConfiguration: p.usedConfiguration ?? used })),
    };
  }

  async function apply(): Promise<void> {
    const reading = codec.read(section, options.base);
    problems = reading.problems;
    const rejected = reading.rejected ?? reading.problems.some((p) => p.errorType !== 'NotOptimal');
    if (!rejected) core.applyConfiguration(reading.patch);
    if (reading.problems.length > 0) {
      core.enqueue([errorEvent(reading.problems)]);
      logger.log(
        'warn',
        rejected ? 'remote configuration rejected; last good kept' : 'remote configuration not optimal',
        {
          problems: reading.problems.map((p) => `${p.errorType} ${p.configurationName}`).join(', '),
        },
      );
    } else logger.log('info', 'remote configuration applied', { version });
    const reported: TwinObject = { [codec.objectName]: codec.report(core.configuration) };
    await twin.patchReported(reported);
  }

  const unsubscribe = twin.onDesired((patch, pushed) => {
    if (stopped || (pushed !== undefined && version !== undefined && pushed <= version)) return;
    void serial(async () => {
      if (!Object.hasOwn(patch, codec.objectName)) {
        if (pushed !== undefined) version = pushed;
        return;
      }
      section = mergePatch(section, patch[codec.objectName]);
      if (pushed !== undefined) version = pushed;
      await apply();
    });
  });

  return {
    refresh: () =>
      serial(async () => {
        const document = await twin.get();
        const desired = document.desired;
        section = desired[codec.objectName];
        version = typeof desired.$version === 'number' ? desired.$version : undefined;
        await apply();
      }),
    idle: () => chain,
    get desiredVersion() {
      return version;
    },
    get problems() {
      return problems;
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
