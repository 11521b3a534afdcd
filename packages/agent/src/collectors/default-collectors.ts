/**
 * The full set of collectors the agent ships, each a fresh instance (several are stateful).
 */
import { createBaselineCollector, type BaselineCollectorOptions } from './baseline.js';
import type { Collector } from './collector.js';
import { createContainersCollector, type ContainersCollectorOptions } from './containers.js';
import { createEdgeDeploymentCollector, type EdgeDeploymentCollectorOptions } from './edge-deployment.js';
import { createFirewallCollector } from './firewall.js';
import { createHeartbeatCollector } from './heartbeat.js';
import { createListeningPortsCollector } from './listening-ports.js';
import { createLocalUsersCollector } from './local-users.js';
import { createLoginCollector, type LoginCollectorOptions } from './logins.js';
import { createNetworkActivityCollector, type NetworkActivityOptions } from './network-activity.js';
import { createProcessCollector, type ProcessCollectorOptions } from './processes.js';
import { createSystemInformationCollector } from './system-information.js';

/** Per-collector options for {@link createDefaultCollectors}. */
export interface DefaultCollectorsOptions {
  readonly networkActivity?: NetworkActivityOptions;
  readonly processes?: ProcessCollectorOptions;
  readonly logins?: LoginCollectorOptions;
  readonly baseline?: BaselineCollectorOptions;
  readonly containers?: ContainersCollectorOptions;
  readonly edgeDeployment?: EdgeDeploymentCollectorOptions;
}

/**
 * Every collector, High priority first. Filter them for the platform and configuration with
 * `selectCollectors`.
 */
export function createDefaultCollectors(options: DefaultCollectorsOptions = {}): Collector[] {
  return [
    createNetworkActivityCollector(options.networkActivity),
    createListeningPortsCollector(),
    createLocalUsersCollector(),
    createLoginCollector(options.logins),
    createProcessCollector(options.processes),
    createSystemInformationCollector(),
    createHeartbeatCollector(),
    createFirewallCollector(),
    createBaselineCollector(options.baseline),
    createContainersCollector(options.containers),
    createEdgeDeploymentCollector(options.edgeDeployment),
  ];
}
