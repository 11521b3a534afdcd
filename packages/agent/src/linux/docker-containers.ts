/**
 * Parsers of the Docker Engine API answers the containers collector reads: `GET /containers/json`
 * (running containers) and `GET /containers/{id}/json` (one container's inspect document), into the
 * few facts that matter for security. Unknown fields are ignored; a document without its identity
 * (`Id`) or with a wrongly typed field the facts depend on is a parse error.
 */
import { parseError } from './parse-error.js';
import { isJsonObject as isObject, type JsonObject as Json } from './json-object.js';

/** A volume or bind mount of a container. */
export interface ContainerMount {
  /** `bind`, `volume`, `tmpfs`, `npipe`. */
  readonly type: string;
  /** Host path (binds) or the volume's directory on the host. */
  readonly source: string;
  readonly destination: string;
  readonly readWrite: boolean;
}

/** A container port published on the host. */
export interface PublishedPort {
  /** Host address it is bound to; `0.0.0.0` / `::` (or empty) means every interface. */
  readonly hostIp: string;
  readonly hostPort: string;
  readonly containerPort: string;
  readonly protocol: string;
}

/** What the collector needs to know about one running container. */
export interface ContainerFacts {
  readonly id: string;
  /** Without Docker's leading `/`. */
  readonly name: string;
  /** The image as it was asked for (`nginx:1.25`). */
  readonly image: string;
  readonly privileged: boolean;
  /** `HostConfig.NetworkMode`: `host` shares the host's network stack. */
  readonly networkMode: string;
  /** `HostConfig.PidMode`: `host` shares the host's process table. */
  readonly pidMode: string;
  readonly capAdd: readonly string[];
  readonly mounts: readonly ContainerMount[];
  readonly ports: readonly PublishedPort[];
}

function text(doc: Json, key: string, where: string): string {
  const value = doc[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw parseError(`${where}: ${key} is not a string`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw parseError(`${where} is not a list of strings`);
  }
  return value;
}

/** The ids of the running containers in a `GET /containers/json` answer. */
export function parseContainerList(body: unknown): string[] {
  if (!Array.isArray(body)) throw parseError('GET /containers/json: the answer is not a list');
  return body.map((item, i) => {
    if (!isObject(item) || typeof item['Id'] !== 'string' || item['Id'] === '') {
      throw parseError(`GET /containers/json: item ${i} has no Id`);
    }
    return item['Id'];
  });
}

function mounts(value: unknown, where: string): ContainerMount[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw parseError(`${where}: Mounts is not a list`);
  return value.map((m, i) => {
    if (!isObject(m)) throw parseError(`${where}: Mounts[${i}] is not an object`);
    const at = `${where}: Mounts[${i}]`;
    return {
      type: text(m, 'Type', at),
      source: text(m, 'Source', at),
      destination: text(m, 'Destination', at),
      readWrite: m['RW'] !== false,
    };
  });
}

function ports(value: unknown, where: string): PublishedPort[] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw parseError(`${where}: NetworkSettings.Ports is not an object`);
  const out: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(value)) {
    // Keys are `<port>/<protocol>`; a null value is an exposed but unpublished port.
    const [containerPort = key, protocol = 'tcp'] = key.split('/');
    if (bindings === null) continue;
    if (!Array.isArray(bindings)) throw parseError(`${where}: Ports["${key}"] is not a list`);
    for (const b of bindings) {
      if (!isObject(b)) throw parseError(`${where}: Ports["${key}"] has a non-object binding`);
      out.push({
        hostIp: text(b, 'HostIp', where),
        hostPort: text(b, 'HostPort', where),
        containerPort,
        protocol,
      });
    }
  }
  return out;
}

/** The facts of one `GET /containers/{id}/json` answer. */
export function parseContainerInspect(body: unknown): ContainerFacts {
  if (!isObject(body) || typeof body['Id'] !== 'string' || body['Id'] === '') {
    throw parseError('GET /containers/{id}/json: the answer has no Id');
  }
  const id = body['Id'];
  const where = `container ${id.slice(0, 12)}`;
  const host = body['HostConfig'] ?? {};
  const config = body['Config'] ?? {};
  const network = body['NetworkSettings'] ?? {};
  if (!isObject(host) || !isObject(config) || !isObject(network)) {
    throw parseError(`${where}: HostConfig, Config or NetworkSettings is not an object`);
  }
  const privileged = host['Privileged'] ?? false;
  if (typeof privileged !== 'boolean') throw parseError(`${where}: HostConfig.Privileged is not a boolean`);
  return {
    id,
    name: text(body, 'Name', where).replace(/^\//, ''),
    image: text(config, 'Image', where) || text(body, 'Image', where),
    privileged,
    networkMode: text(host, 'NetworkMode', where),
    pidMode: text(host, 'PidMode', where),
    capAdd: strings(host['CapAdd'], `${where}: HostConfig.CapAdd`),
    mounts: mounts(body['Mounts'], where),
    ports: ports(network['Ports'], where),
  };
}
