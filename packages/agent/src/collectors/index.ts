/**
 * Public door of the collectors folder: the collector interface, the machine-access abstraction,
 * helpers shared by collectors and the scheduler, and the collectors themselves.
 */
export type {
  CollectionResult,
  Collector,
  CollectorClock,
  CollectorContext,
  CollectorError,
  CollectorErrorCode,
  CollectorPlatform,
  CollectorPriority,
  CollectorSpec,
} from './collector.js';
export type {
  ByteRange,
  CommandResult,
  DirEntry,
  FileKind,
  FileStat,
  HostFacts,
  RunOptions,
  SystemAccess,
} from './system-access.js';
export {
  errnoCode,
  isNotFound,
  isPermissionDenied,
  safeCollect,
  toCollectorError,
} from './collector-errors.js';
export { runsOn, selectCollectors, type CollectorSelection } from './selection.js';
export { eventHeader } from './event-header.js';
export { createCollectorContext, type CollectorContextOptions } from './collector-context.js';
export { createMemorySystem, type MemorySystemContent } from './memory-system.js';
export { createListeningPortsCollector, LISTENING_PORTS_ID } from './listening-ports.js';
export {
  createNetworkActivityCollector,
  NETWORK_ACTIVITY_ID,
  type NetworkActivityOptions,
} from './network-activity.js';
export { createLocalUsersCollector, LOCAL_USERS_ID } from './local-users.js';
export { createSystemInformationCollector, SYSTEM_INFORMATION_ID } from './system-information.js';
export { createHeartbeatCollector, HEARTBEAT_ID } from './heartbeat.js';
export { createProcessCollector, PROCESSES_ID, type ProcessCollectorOptions } from './processes.js';
export { createFirewallCollector, FIREWALL_ID } from './firewall.js';
export { createLoginCollector, LOGINS_ID, type LoginCollectorOptions } from './logins.js';
export { createLogCursor, type LogChunk, type LogCursor, type LogCursorOptions } from './log-cursor.js';
export {
  BASELINE_CHECKS,
  BASELINE_ID,
  createBaselineCollector,
  runCheck,
  type BaselineCollectorOptions,
} from './baseline.js';
export type { BaselineCheckSpec, BaselineInput, CheckOutcome } from './baseline-check.js';
export {
  findWorldWritable,
  SYSTEM_PATHS,
  type WorldWritableOptions,
  type WorldWritableResult,
} from './world-writable.js';
export { readFirewallRules } from './firewall.js';
export { createDefaultCollectors, type DefaultCollectorsOptions } from './default-collectors.js';
export {
  assessPrivileges,
  isSensitiveHostPath,
  privilegeCheck,
  type ContainerPrivileges,
  type HostPathMount,
  type PrivilegeCheckInput,
  type PrivilegeFinding,
} from './container-privileges.js';
export {
  CONTAINER_CHECK_ID,
  CONTAINERS_ID,
  createContainersCollector,
  type ContainersCollectorOptions,
} from './containers.js';
export {
  createEdgeDeploymentCollector,
  DEFAULT_EDGE_DEPLOYMENT_FILE,
  EDGE_DEPLOYMENT_ID,
  EDGE_MODULE_CHECK_ID,
  EDGE_REGISTRY_CHECK_ID,
  MAX_EDGE_DEPLOYMENT_BYTES,
  type EdgeDeploymentCollectorOptions,
} from './edge-deployment.js';
