/**
 * Parser of an IoT Edge deployment as edgeAgent sees it: the `$edgeAgent` desired properties
 * (`schemaVersion`, `runtime.settings.registryCredentials`, `systemModules`, `modules`), given as a
 * whole deployment manifest (`modulesContent.$edgeAgent["properties.desired"]`), as the edgeAgent
 * module twin (`properties.desired`) or as the desired properties themselves. Each module's
 * `createOptions` is Docker's container-create body as a JSON string — split over `createOptions`,
 * `createOptions01` … when longer than the twin's string limit — and is read for the privileges it
 * grants. Registry passwords are never copied out: only which registries have credentials.
 */
import { parseError } from './parse-error.js';
import { isJsonObject as isObject, type JsonObject as Json } from './json-object.js';

/** A bind or mount of a host path into a module. */
export interface ModuleBind {
  readonly source: string;
  readonly destination: string;
  readonly readWrite: boolean;
}

/** What the collector needs to know about one module of the deployment. */
export interface EdgeModuleFacts {
  readonly name: string;
  /** `edgeAgent` and `edgeHub` are system modules. */
  readonly system: boolean;
  readonly image: string;
  /** Registry host of the image (`docker.io` when the image names none). */
  readonly registry: string;
  /** The deployment carries credentials for that registry. */
  readonly registryCredentials: boolean;
  readonly privileged: boolean;
  readonly networkMode: string;
  readonly pidMode: string;
  readonly capAdd: readonly string[];
  readonly binds: readonly ModuleBind[];
  /** `HostConfig.LogConfig.Type`; `none` turns the module's logs off. */
  readonly logDriver: string;
  /** Published host ports (`HostConfig.PortBindings`), as `hostIp:hostPort->port/proto`. */
  readonly portBindings: readonly string[];
}

/** A registry the deployment has credentials for (the password is not kept). */
export interface EdgeRegistry {
  readonly name: string;
  readonly address: string;
  readonly username: string;
}

/** The parsed deployment; `problems` names modules whose settings could not be read. */
export interface EdgeDeployment {
  readonly schemaVersion: string;
  readonly modules: readonly EdgeModuleFacts[];
  readonly registries: readonly EdgeRegistry[];
  readonly problems: readonly string[];
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The `$edgeAgent` desired properties inside any of the accepted shapes. */
function desiredOf(doc: Json): Json {
  const content = doc['modulesContent'];
  if (isObject(content)) {
    const agent = content['$edgeAgent'];
    const desired = isObject(agent) ? agent['properties.desired'] : undefined;
    if (!isObject(desired)) throw parseError('deployment manifest: no $edgeAgent "properties.desired"');
    return desired;
  }
  const properties = doc['properties'];
  if (isObject(properties) && isObject(properties['desired'])) return properties['desired'];
  if ('modules' in doc || 'systemModules' in doc || 'runtime' in doc) return doc;
  throw parseError('not an IoT Edge deployment: no modulesContent, properties.desired or modules');
}

/** `createOptions` + `createOptions01`…`createOptions99`, joined in order, as an object. */
function createOptionsOf(settings: Json): Json {
  const whole = settings['createOptions'];
  if (isObject(whole)) return whole; // deployment templates may keep it as an object
  const parts = [str(whole)];
  for (let i = 1; i < 100; i += 1) {
    const part = settings[`createOptions${String(i).padStart(2, '0')}`];
    if (typeof part !== 'string') break;
    parts.push(part);
  }
  const text = parts.join('');
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (!isObject(value)) throw new Error('createOptions is not a JSON object');
  return value;
}

/** Registry host of an image reference, as Docker resolves it. */
export function imageRegistry(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost'
    ? first.toLowerCase()
    : 'docker.io';
}

function binds(host: Json): ModuleBind[] {
  const out: ModuleBind[] = [];
  for (const bind of Array.isArray(host['Binds']) ? host['Binds'] : []) {
    if (typeof bind !== 'string') continue;
    const [source = '', destination = '', mode = ''] = bind.split(':');
    out.push({ source, destination, readWrite: !mode.split(',').includes('ro') });
  }
  for (const mount of Array.isArray(host['Mounts']) ? host['Mounts'] : []) {
    if (!isObject(mount) || str(mount['Type']) === 'volume') continue;
    out.push({
      source: str(mount['Source']),
      destination: str(mount['Target']),
      readWrite: mount['ReadOnly'] !== true,
    });
  }
  return out;
}

function portBindings(host: Json): string[] {
  const out: string[] = [];
  const bindings = host['PortBindings'];
  if (!isObject(bindings)) return out;
  for (const [port, list] of Object.entries(bindings)) {
    for (const b of Array.isArray(list) ? list : []) {
      if (!isObject(b)) continue;
      out.push(`${str(b['HostIp']) || '0.0.0.0'}:${str(b['HostPort'])}->${port}`);
    }
  }
  return out;
}

function moduleFacts(
  name: string,
  system: boolean,
  value: unknown,
  credentialed: Set<string>,
): EdgeModuleFacts {
  if (!isObject(value)) throw new Error('the module is not an object');
  const settings = value['settings'];
  if (!isObject(settings)) throw new Error('the module has no settings');
  const image = str(settings['image']);
  if (image === '') throw new Error('the module names no image');
  const options = createOptionsOf(settings);
  const host = isObject(options['HostConfig']) ? options['HostConfig'] : {};
  const log = isObject(host['LogConfig']) ? host['LogConfig'] : {};
  const registry = imageRegistry(image);
  return {
    name,
    system,
    image,
    registry,
    registryCredentials: credentialed.has(registry),
    privileged: host['Privileged'] === true,
    networkMode: str(host['NetworkMode']),
    pidMode: str(host['PidMode']),
    capAdd: (Array.isArray(host['CapAdd']) ? host['CapAdd'] : []).filter((c) => typeof c === 'string'),
    binds: binds(host),
    logDriver: str(log['Type']),
    portBindings: portBindings(host),
  };
}

/** Parses the deployment JSON text (any of the three shapes). */
export function parseEdgeDeployment(text: string): EdgeDeployment {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw parseError(`deployment manifest is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) throw parseError('deployment manifest is not a JSON object');
  const desired = desiredOf(doc);
  const runtime = isObject(desired['runtime']) ? desired['runtime'] : {};
  const runtimeSettings = isObject(runtime['settings']) ? runtime['settings'] : {};
  const credentials = isObject(runtimeSettings['registryCredentials'])
    ? runtimeSettings['registryCredentials']
    : {};
  const registries: EdgeRegistry[] = [];
  for (const [name, entry] of Object.entries(credentials)) {
    if (!isObject(entry)) continue;
    registries.push({ name, address: str(entry['address']).toLowerCase(), username: str(entry['username']) });
  }
  const credentialed = new Set(registries.map((r) => r.address));
  const modules: EdgeModuleFacts[] = [];
  const problems: string[] = [];
  const groups: [Json, boolean][] = [
    [isObject(desired['systemModules']) ? desired['systemModules'] : {}, true],
    [isObject(desired['modules']) ? desired['modules'] : {}, false],
  ];
  for (const [group, system] of groups) {
    for (const [name, value] of Object.entries(group)) {
      try {
        modules.push(moduleFacts(name, system, value, credentialed));
      } catch (error) {
        problems.push(`module ${name}: ${(error as Error).message}`);
      }
    }
  }
  return { schemaVersion: str(desired['schemaVersion']), modules, registries, problems };
}
