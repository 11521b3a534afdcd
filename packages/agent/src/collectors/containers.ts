/**
 * The containers collector: asks the Docker engine over its unix socket for the running containers
 * (`GET /containers/json`, then `GET /containers/{id}/json` each) and reports every one as an
 * OSBaseline check — image, privileged mode, host network and PID namespaces, added capabilities,
 * sensitive host paths mounted in, ports published on every interface — Fail when any of these
 * hands the container its host (./container-privileges.ts says why the event is OSBaseline).
 * A machine without a Docker engine gets one clear `NOT_FOUND` "no Docker engine" error entry.
 */
import {
  createDockerApiClient,
  DEFAULT_DOCKER_SOCKET,
  DockerApiError,
  parseContainerInspect,
  parseContainerList,
  type ContainerFacts,
  type DockerApiClient,
} from '../linux/index.js';
import type { Collector, CollectorError, CollectorErrorCode } from './collector.js';
import { toCollectorError } from './collector-errors.js';
import { privilegeCheck } from './container-privileges.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const CONTAINERS_ID = 'containers';

/** Check id of a container's privilege assessment. */
export const CONTAINER_CHECK_ID = 'VIGIL-CTR-PRIVILEGES';

/** Options of {@link createContainersCollector}. */
export interface ContainersCollectorOptions {
  /** The engine's socket; default `/var/run/docker.sock`. */
  readonly socketPath?: string;
  /** At most this many containers are inspected per run (default 256); the rest is reported as dropped. */
  readonly maxContainers?: number;
  /** A client to use instead of one over `socketPath`. */
  readonly client?: DockerApiClient;
}

const CODES: Readonly<Record<DockerApiError['code'], CollectorErrorCode>> = {
  NO_ENGINE: 'NOT_FOUND',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  HTTP_STATUS: 'COMMAND_FAILED',
  BAD_RESPONSE: 'PARSE_ERROR',
  ABORTED: 'ABORTED',
};

function apiError(error: unknown, source: string): CollectorError {
  if (error instanceof DockerApiError) {
    return { collectorId: CONTAINERS_ID, code: CODES[error.code], message: error.message, source };
  }
  return toCollectorError(CONTAINERS_ID, error, source);
}

function check(c: ContainerFacts) {
  // Named volumes live under /var/lib/docker by design; only binds expose host paths.
  const mounts = c.mounts.filter((m) => m.type !== 'volume');
  return privilegeCheck({
    checkId: CONTAINER_CHECK_ID,
    subject: `container "${c.name}" (${c.image})`,
    remediation:
      'Run the container unprivileged, on its own network and PID namespaces, without host system paths or the Docker socket mounted, and publish ports on the interfaces that need them only.',
    privileges: {
      privileged: c.privileged,
      networkMode: c.networkMode,
      pidMode: c.pidMode,
      capAdd: c.capAdd,
      mounts,
      publishedPorts: c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`),
    },
    details: { ContainerId: c.id, ContainerName: c.name, Image: c.image },
  });
}

/** Creates the containers collector. */
export function createContainersCollector(options: ContainersCollectorOptions = {}): Collector {
  const client =
    options.client ?? createDockerApiClient({ socketPath: options.socketPath ?? DEFAULT_DOCKER_SOCKET });
  const maxContainers = options.maxContainers ?? 256;
  return {
    id: CONTAINERS_ID,
    platforms: ['linux'],
    priority: 'Low',
    description: `Running Docker containers (Docker Engine API on ${client.socketPath}): image, privileged mode, host network/PID, capabilities, sensitive host mounts, published ports.`,
    async collect(context) {
      const errors: CollectorError[] = [];
      let ids: string[];
      try {
        ids = parseContainerList(await client.get('/containers/json', context.signal));
      } catch (error) {
        return { events: [], errors: [apiError(error, `${client.socketPath} GET /containers/json`)] };
      }
      if (ids.length > maxContainers) {
        errors.push({
          collectorId: CONTAINERS_ID,
          code: 'DATA_DROPPED',
          message: `${ids.length} running containers; only the first ${maxContainers} are inspected`,
        });
        ids = ids.slice(0, maxContainers);
      }
      const checks = [];
      for (const id of ids) {
        const path = `/containers/${encodeURIComponent(id)}/json`;
        try {
          checks.push(check(parseContainerInspect(await client.get(path, context.signal))));
        } catch (error) {
          // A container that stopped between the list and its inspection is simply gone.
          if (error instanceof DockerApiError && error.status === 404) continue;
          errors.push(apiError(error, `${client.socketPath} GET ${path}`));
          if (context.signal.aborted) break;
        }
      }
      // No container running, no event: an empty OSBaseline snapshot would read, to the hub, as
      // "every baseline check passes" (see the README's note on OSBaseline sharing).
      if (checks.length === 0) return { events: [], errors };
      const header = eventHeader(context, 'OSBaseline', 'Periodic');
      return { events: [{ ...header, kind: 'baseline', checks }], errors };
    },
  };
}
