/**
 * Public door of the agent core: the platform-neutral pipeline (scheduler, state machine, flow
 * cache, aggregation, queues, batching, disk buffer, delivery) and the clock it runs on.
 */
export { createSystemClock, type Clock, type Timer } from './clock.js';
export { createFakeClock, flushMicrotasks, type FakeClock } from './fake-clock.js';
export { createSeededRandom, type Random } from './random.js';
export {
  createMemoryLogger,
  silentLogger,
  type CoreLogger,
  type LogFields,
  type LogLevel,
  type MemoryLogger,
} from './logger.js';
export {
  createScheduler,
  DEFAULT_COLLECTOR_TIMEOUT_MS,
  DEFAULT_FIRST_COLLECTION_MS,
  DEFAULT_PRIORITY_INTERVALS_MS,
  type BaseCollectorContext,
  type CollectionRun,
  type CollectorRunStats,
  type PriorityIntervals,
  type Scheduler,
  type SchedulerOptions,
} from './scheduler.js';
export {
  createStateMachine,
  DEFAULT_PENDING_TIME_MS,
  DEFAULT_RETRY_TIME_MS,
  type SecurityModuleState,
  type StateMachine,
  type StateMachineOptions,
  type StateTransition,
} from './state-machine.js';
export {
  createFlowCache,
  DEFAULT_MAX_FLOWS_PER_FAMILY,
  type FlowCache,
  type FlowCacheOptions,
  type FlowDrain,
} from './flow-cache.js';
export {
  createAggregator,
  DEFAULT_AGGREGATION,
  type AggregatedEventName,
  type AggregationSetting,
  type AggregationSettings,
  type Aggregator,
  type AggregatorOptions,
} from './aggregator.js';
export {
  createEventQueue,
  type EventQueue,
  type QueueCounters,
  type QueueName,
  type SizedEvent,
} from './event-queue.js';
export {
  createEventQueues,
  DEFAULT_EVENT_PRIORITIES,
  DEFAULT_MAX_LOCAL_CACHE_BYTES,
  jsonEventSize,
  type EnqueueOutcome,
  type EventPriority,
  type EventQueues,
  type EventQueuesOptions,
  type EventSizer,
} from './event-queues.js';
export {
  buildMessage,
  encodedEventSize,
  DEFAULT_MAX_MESSAGE_BYTES,
  type BuildMessageOptions,
  type MessageEncoder,
  type MessagePriority,
  type OutgoingMessage,
} from './batcher.js';
export {
  DEFAULT_DISK_BUFFER_BYTES,
  openDiskBuffer,
  type BufferedRecord,
  type CorruptTail,
  type DiskBuffer,
  type DiskBufferOptions,
  type DiskBufferStats,
  type RecordPosition,
} from './disk-buffer.js';
export {
  createDelivery,
  type Delivery,
  type DeliveryOptions,
  type MessageCounters,
  type Sender,
} from './delivery.js';
export { statisticsEvents, type StatisticsInput } from './statistics-events.js';
export {
  DEFAULT_CORE_CONFIGURATION,
  mergeCoreConfiguration,
  type AgentCoreConfiguration,
  type AgentCoreConfigurationPatch,
} from './configuration.js';
export { coreConfigurationFromTwin } from './twin-configuration.js';
export {
  createAgentCore,
  type AgentCore,
  type AgentCoreOptions,
  type AgentCoreStatistics,
} from './agent-core.js';
