/**
 * The platform-neutral agent: collection → flow cache and aggregation → byte-capped queues →
 * messages → delivery (sender or disk buffer), steered by the security module state machine
 * (reference/azure-security-module.md §1.3–§1.5, §2.3–§2.4). Transport, collectors and encoder are
 * injected; so is time, so tests run hours of agent life in milliseconds.
 */
import type { SecurityEvent } from '@vigil/protocol';
import type { Collector } from '../collectors/index.js';
import { createAggregator } from './aggregator.js';
import { encodedEventSize, type MessageEncoder } from './batcher.js';
import type { Clock, Timer } from './clock.js';
import {
  DEFAULT_CORE_CONFIGURATION,
  mergeCoreConfiguration,
  type AgentCoreConfiguration,
  type AgentCoreConfigurationPatch,
} from './configuration.js';
import { createDelivery, type Sender } from './delivery.js';
import { openDiskBuffer, type DiskBufferStats } from './disk-buffer.js';
import { createEventQueues, type EventSizer } from './event-queues.js';
import { createFlowCache } from './flow-cache.js';
import { silentLogger, type CoreLogger } from './logger.js';
import type { Random } from './random.js';
import { createScheduler, type BaseCollectorContext, type CollectionRun } from './scheduler.js';
import { createPublisher } from './publisher.js';
import { createStateMachine, type SecurityModuleState, type StateTransition } from './state-machine.js';
import { statisticsEvents } from './statistics-events.js';

/** Options for {@link createAgentCore}. */
export interface AgentCoreOptions {
  readonly clock: Clock;
  readonly collectors: readonly Collector[];
  /** What collectors may use (machine access, id source, wire format). */
  readonly context: BaseCollectorContext;
  readonly sender: Sender;
  readonly diskBufferDir: string;
  readonly configuration?: AgentCoreConfigurationPatch;
  /** Message body encoder; default JSON of the event array (tests; real agents plug JSON 1.0 or FlatBuffers). */
  readonly encoder?: MessageEncoder;
  /** Queue accounting size of one event; default its size in the encoder's output. */
  readonly sizeOf?: EventSizer;
  readonly random?: Random;
  readonly logger?: CoreLogger;
}

/** Counters of the whole core, for status output and tests. */
export interface AgentCoreStatistics {
  readonly state: SecurityModuleState;
  readonly queuedBytes: number;
  readonly queuedEvents: number;
  /** Messages built but held only in memory: not yet acknowledged by the hub nor fsync'ed to disk. */
  readonly unsavedMessages: number;
  readonly droppedFlows: number;
  readonly collectorErrors: number;
  readonly disk: DiskBufferStats;
}

/** A running agent core. */
export interface AgentCore {
  /** Opens the disk buffer and starts the state machine (NOT_INITIALIZED → PENDING). */
  start(): Promise<void>;
  /** Stops collection, writes everything still queued to the disk buffer and closes it. */
  stop(): Promise<void>;
  readonly state: SecurityModuleState;
  readonly configuration: AgentCoreConfiguration;
  onTransition(listener: (transition: StateTransition) => void): () => void;
  /** Applies a configuration change live (intervals, switches, caps, frequencies). */
  applyConfiguration(patch: AgentCoreConfigurationPatch): void;
  /** Queues events from outside the collectors (ConfigurationError from remote configuration). */
  enqueue(events: readonly SecurityEvent[]): void;
  /** The transport's connection changed: react now rather than at the next poll. */
  connectivityChanged(): void;
  /** Builds and hands over messages for both queues now, regardless of frequencies. */
  flush(): void;
  /** Resolves when no delivery work is in flight. */
  idle(): Promise<void>;
  statistics(): AgentCoreStatistics;
}

const jsonEncoder: MessageEncoder = (events) => new TextEncoder().encode(JSON.stringify(events));

/** Wires the core; nothing runs until `start()`. */
export function createAgentCore(options: AgentCoreOptions): AgentCore {
  const { clock, sender, context } = options;
  const logger = options.logger ?? silentLogger;
  const encoder = options.encoder ?? jsonEncoder;
  const newId = context.newId;
  let config = mergeCoreConfiguration(DEFAULT_CORE_CONFIGURATION, options.configuration);
  let droppedFlows = 0;
  let collectorErrors = 0;
  let tick: Timer | undefined;
  let lastStats = clock.now();

  const machine = createStateMachine({
    clock,
    isConnected: () => sender.isConnected(),
    pendingTimeMs: config.pendingTimeMs,
    retryTimeMs: config.retryTimeMs,
    logger,
  });
  const flows = createFlowCache({ maxIpv4: config.maxIpv4FlowsInCache, maxIpv6: config.maxIpv6FlowsInCache });
  const aggregator = createAggregator({ clock, newId, settings: config.aggregation });
  const queues = createEventQueues({
    maxLocalCacheSizeInBytes: config.maxLocalCacheSizeInBytes,
    maxMessageSizeInBytes: config.maxMessageSizeInBytes,
    priorities: config.eventPriorities,
    sizeOf: options.sizeOf ?? encodedEventSize(encoder),
  });
  const scheduler = createScheduler({
    clock,
    collectors: options.collectors,
    context,
    onResult,
    intervalsMs: config.priorityIntervalsMs,
    firstCollectionMs: config.firstCollectionMs,
    timeoutMs: config.collectorTimeoutMs,
    enabled: config.collectorsEnabled,
    priorities: config.collectorPriorities,
    logger,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const publisher = createPublisher({
    clock,
    queues,
    encoder,
    settings: () => config,
    onOversized: (event) =>
      logger.log('warn', 'event larger than the maximum message size dropped', {
        name: event.name,
        id: event.id,
      }),
  });
  let delivery: ReturnType<typeof createDelivery> | undefined;
  let disk: Awaited<ReturnType<typeof openDiskBuffer>> | undefined;

  function enqueueAll(events: readonly SecurityEvent[]): void {
    for (const event of events) queues.enqueue(event);
  }

  /** Network flows go through the per-family cache (§1.5); empty flow events are not sent (§1.3). */
  function throughFlowCache(event: SecurityEvent): SecurityEvent | undefined {
    if (event.kind !== 'network-activity') return event;
    for (const flow of event.flows) flows.record(flow);
    const drained = flows.drain();
    const dropped = drained.droppedIpv4 + drained.droppedIpv6;
    if (dropped > 0) {
      droppedFlows += dropped;
      logger.log('warn', 'flow cache full: new flows dropped; increase the max flows in cache', {
        ipv4: drained.droppedIpv4,
        ipv6: drained.droppedIpv6,
      });
    }
    return drained.flows.length === 0 ? undefined : { ...event, flows: drained.flows };
  }

  function onResult(run: CollectionRun): void {
    for (const error of run.result.errors) {
      collectorErrors += 1;
      logger.log('warn', 'collector error', {
        collector: error.collectorId,
        code: error.code,
        message: error.message,
      });
    }
    for (const event of run.result.events) {
      const cached = throughFlowCache(event);
      if (cached !== undefined) enqueueAll(aggregator.add(cached));
    }
  }

  function publishCheck(): void {
    const now = clock.now();
    enqueueAll(aggregator.flushDue());
    if (now - lastStats >= config.statisticsFrequencyMs) {
      lastStats = now;
      const messages = delivery?.takeCounters() ?? { messagesSent: 0, messagesUnder4Kb: 0, totalFailed: 0 };
      const format = context.format ?? 'json-1.0';
      enqueueAll(
        statisticsEvents({
          high: queues.high.takeCounters(),
          low: queues.low.takeCounters(),
          messages,
          now,
          newId,
          format,
        }),
      );
    }
    // Durability point: while no hub can take a message (PENDING, SUSPENDED, or ACTIVE with the
    // connection just lost), every queued event goes to the fsync'ed disk buffer at this check
    // (publishCheckMs, 1 s by default) instead of waiting for its message frequency (PT7M / PT5H,
    // §2.5) — so a crash or SIGKILL during an outage loses at most one check's worth of events,
    // not hours of them. With the hub connected the in-memory queues are as in the reference
    // agents: a message is only built when due, and a crash loses what was not yet due. Aggregated
    // events still wait for their aggregation window (§1.5), which is in memory by design.
    const out = hubUnreachable() ? publisher.all() : publisher.due();
    if (out.length > 0) delivery?.submit(out);
    else delivery?.kick();
  }

  function hubUnreachable(): boolean {
    return machine.state !== 'ACTIVE' || !sender.isConnected();
  }

  function armTick(): void {
    tick = clock.setTimer(() => {
      publishCheck();
      armTick();
    }, config.publishCheckMs);
  }

  machine.onTransition((t) => {
    // §1.4: PENDING and ACTIVE (re)start collection; SUSPENDED stops it and clears the caches.
    if (t.to === 'SUSPENDED' || t.to === 'NOT_INITIALIZED') {
      scheduler.stop();
      flows.clear();
    } else if (!scheduler.running) scheduler.start();
    if (t.to === 'ACTIVE') delivery?.kick();
  });

  return {
    async start() {
      if (machine.state !== 'NOT_INITIALIZED') return;
      disk = await openDiskBuffer({ dir: options.diskBufferDir, maxBytes: config.diskBufferMaxBytes });
      for (const tail of disk.stats().corruptTails) {
        logger.log('warn', 'disk buffer: damaged tail skipped', {
          file: tail.file,
          offset: tail.offset,
          bytes: tail.skippedBytes,
          problem: tail.problem,
        });
      }
      delivery = createDelivery({
        clock,
        sender,
        disk,
        machine,
        retryTimeMs: () => config.retryTimeMs,
        logger,
      });
      publisher.reset();
      lastStats = clock.now();
      armTick();
      machine.start();
    },
    async stop() {
      tick?.cancel();
      tick = undefined;
      machine.stop();
      enqueueAll(aggregator.flushAll());
      delivery?.submit(publisher.all());
      await delivery?.idle();
      await disk?.close();
    },
    get state() {
      return machine.state;
    },
    get configuration() {
      return config;
    },
    onTransition: (listener) => machine.onTransition(listener),
    applyConfiguration(patch) {
      config = mergeCoreConfiguration(config, patch);
      scheduler.setIntervals(config.priorityIntervalsMs);
      scheduler.setTimeoutMs(config.collectorTimeoutMs);
      for (const c of options.collectors) {
        scheduler.setEnabled(c.id, config.collectorsEnabled[c.id] ?? true);
        scheduler.setPriority(c.id, config.collectorPriorities[c.id] ?? c.priority);
      }
      flows.setLimits({ maxIpv4: config.maxIpv4FlowsInCache, maxIpv6: config.maxIpv6FlowsInCache });
      enqueueAll(aggregator.configure(config.aggregation));
      queues.configure({
        maxLocalCacheSizeInBytes: config.maxLocalCacheSizeInBytes,
        maxMessageSizeInBytes: config.maxMessageSizeInBytes,
        priorities: config.eventPriorities,
      });
    },
    enqueue: enqueueAll,
    connectivityChanged() {
      machine.connectivityChanged();
      delivery?.kick();
    },
    flush() {
      delivery?.submit(publisher.all());
    },
    async idle() {
      await delivery?.idle();
    },
    statistics() {
      return {
        state: machine.state,
        queuedBytes: queues.totalBytes,
        queuedEvents: queues.high.length + queues.low.length + queues.operational.length,
        unsavedMessages: delivery?.unsavedMessages ?? 0,
        droppedFlows,
        collectorErrors,
        disk: disk?.stats() ?? { pendingRecords: 0, bytes: 0, droppedRecords: 0, corruptTails: [] },
      };
    },
  };
}
