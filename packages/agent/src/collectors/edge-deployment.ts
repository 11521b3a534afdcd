/**
 * The IoT Edge deployment collector: reads the deployment edgeAgent runs (a deployment manifest,
 * the `$edgeAgent` module twin as `az iot hub module-twin show` prints it, or its desired properties)
 * from a file and reports each module as an OSBaseline check — image, registry and whether the
 * deployment carries credentials for it, and the privileges its `createOptions` grant (Privileged,
 * host network/PID, capabilities, binds, log driver) — plus one check listing the registries with
 * credentials (never the passwords). This is the "analysis of IoT Edge deployment manifests" of the
 * Edge security module (reference/azure-security-module.md §3); see ./container-privileges.ts for
 * why the event is OSBaseline.
 *
 * IoT Edge keeps no deployment file at a fixed host path, so the path is configuration. On a host
 * without IoT Edge (no /etc/aziot/config.toml nor /etc/iotedge/config.yaml) and with no path
 * configured the collector has nothing to report and reports nothing; with IoT Edge present but no
 * manifest at the path, it reports `NOT_FOUND` naming the path and the setting.
 */
import type { BaselineCheck } from '@vigil/protocol';
import { parseEdgeDeployment, type EdgeModuleFacts } from '../linux/index.js';
import type { Collector, CollectorContext, CollectorError } from './collector.js';
import { isNotFound, toCollectorError } from './collector-errors.js';
import { privilegeCheck } from './container-privileges.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const EDGE_DEPLOYMENT_ID = 'edge-deployment';

/** Where the collector looks when no path is configured. */
export const DEFAULT_EDGE_DEPLOYMENT_FILE = '/etc/vigil-agent/edge-deployment.json';

/** Check id of one module's assessment. */
export const EDGE_MODULE_CHECK_ID = 'VIGIL-EDGE-MODULE';

/** Check id of the registry credentials summary. */
export const EDGE_REGISTRY_CHECK_ID = 'VIGIL-EDGE-REGISTRIES';

/**
 * Largest deployment file read. A module twin's desired properties are capped at 32 KB by IoT Hub,
 * a whole manifest with its routes is not much more; anything far bigger is not a deployment.
 */
export const MAX_EDGE_DEPLOYMENT_BYTES = 1024 * 1024;

/** Files whose presence says IoT Edge is installed (1.2+ and 1.1). */
const EDGE_CONFIG_FILES = ['/etc/aziot/config.toml', '/etc/iotedge/config.yaml'];

/** Options of {@link createEdgeDeploymentCollector}. */
export interface EdgeDeploymentCollectorOptions {
  /** The deployment JSON file; given, a missing file is always an error. */
  readonly deploymentFile?: string;
}

function moduleCheck(m: EdgeModuleFacts): BaselineCheck {
  return privilegeCheck({
    checkId: EDGE_MODULE_CHECK_ID,
    subject: `Edge module "${m.name}" (${m.image})`,
    remediation:
      'Remove Privileged, host network/PID, added capabilities and host path binds from the module createOptions unless the module needs them, and keep its logging on.',
    privileges: {
      privileged: m.privileged,
      networkMode: m.networkMode,
      pidMode: m.pidMode,
      capAdd: m.capAdd,
      mounts: m.binds,
      publishedPorts: m.portBindings,
      logDriver: m.logDriver,
    },
    details: {
      ModuleName: m.name,
      SystemModule: String(m.system),
      Image: m.image,
      Registry: m.registry,
      RegistryCredentials: m.registryCredentials ? 'present' : 'absent',
      LogDriver: m.logDriver || 'default',
    },
  });
}

async function edgeInstalled(context: CollectorContext): Promise<boolean> {
  for (const path of EDGE_CONFIG_FILES) {
    try {
      await context.system.stat(path);
      return true;
    } catch {
      // Absent (or unreadable): try the other version's file.
    }
  }
  return false;
}

/** Creates the IoT Edge deployment collector. */
export function createEdgeDeploymentCollector(options: EdgeDeploymentCollectorOptions = {}): Collector {
  const path = options.deploymentFile ?? DEFAULT_EDGE_DEPLOYMENT_FILE;
  const configured = options.deploymentFile !== undefined;
  return {
    id: EDGE_DEPLOYMENT_ID,
    platforms: ['linux'],
    priority: 'Low',
    description: `IoT Edge deployment (${path}: manifest or $edgeAgent twin): module images, registry credentials present, createOptions privileges (Privileged, host network/PID, capabilities, binds, logging).`,
    async collect(context) {
      let text: string;
      try {
        const { size } = await context.system.stat(path);
        if (size > MAX_EDGE_DEPLOYMENT_BYTES) {
          return {
            events: [],
            errors: [
              {
                collectorId: EDGE_DEPLOYMENT_ID,
                code: 'DATA_DROPPED',
                message: `${path} is ${size} bytes, more than the ${MAX_EDGE_DEPLOYMENT_BYTES} a deployment can be; not read`,
                source: path,
              },
            ],
          };
        }
        text = await context.system.readFile(path);
      } catch (error) {
        if (isNotFound(error) && !configured && !(await edgeInstalled(context))) {
          return { events: [], errors: [] };
        }
        const entry = toCollectorError(EDGE_DEPLOYMENT_ID, error, path);
        const message = isNotFound(error)
          ? `no IoT Edge deployment manifest at ${path} (set edgeDeploymentFile / VIGIL_AGENT_EDGE_DEPLOYMENT_FILE)`
          : entry.message;
        return { events: [], errors: [{ ...entry, message }] };
      }
      let deployment;
      try {
        deployment = parseEdgeDeployment(text);
      } catch (error) {
        return { events: [], errors: [toCollectorError(EDGE_DEPLOYMENT_ID, error, path)] };
      }
      const errors: CollectorError[] = deployment.problems.map((message) => ({
        collectorId: EDGE_DEPLOYMENT_ID,
        code: 'PARSE_ERROR',
        message,
        source: path,
      }));
      const checks = deployment.modules.map(moduleCheck);
      const uncredentialed = deployment.modules.filter(
        (m) => !m.registryCredentials && m.registry !== 'docker.io',
      );
      checks.push({
        checkId: EDGE_REGISTRY_CHECK_ID,
        // Informational inventory: which private registries the device can pull from with a secret.
        result: 'pass',
        severity: 'informational',
        description:
          deployment.registries.length === 0
            ? 'the deployment carries no registry credentials'
            : `the deployment carries credentials for ${deployment.registries.map((r) => r.address).join(', ')}`,
        extraDetails: {
          Registries: deployment.registries.map((r) => `${r.name}=${r.address}`).join(';'),
          ModulesWithoutCredentials: uncredentialed.map((m) => `${m.name}=${m.registry}`).join(';'),
          SchemaVersion: deployment.schemaVersion,
        },
      });
      const header = eventHeader(context, 'OSBaseline', 'Periodic');
      return { events: [{ ...header, kind: 'baseline', checks }], errors };
    },
  };
}
