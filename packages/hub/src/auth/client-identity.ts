import { isValidIdentityId } from '@vigil/protocol';
import type { SessionIdentity } from '../contract/index.js';

/** The MQTT client id IoT Hub expects: `{deviceId}` or `{deviceId}/{moduleId}` (reference/iothub-mqtt.md §1.2). */
export function parseClientId(clientId: string): SessionIdentity | undefined {
  const parts = clientId.split('/');
  if (parts.length > 2 || !parts.every(isValidIdentityId)) return undefined;
  return { deviceId: parts[0] ?? '', moduleId: parts[1] ?? null };
}

/** The client id (and session key) of an identity. */
export function identityKeyOf(identity: SessionIdentity): string {
  return identity.moduleId === null ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
}

/** What an IoT Hub username names. */
export interface ParsedUsername {
  /** The host as the device wrote it, possibly with `:port` (reference/iothub-mqtt.md §0 item 10). */
  readonly host: string;
  readonly identity: SessionIdentity;
  /** The query (`api-version=…&DeviceClientType=…`), or '' when absent. */
  readonly query: string;
}

/**
 * Reads `{host}/{deviceId}[/{moduleId}]/?api-version=…&DeviceClientType=…`. Like edgeHub, it also
 * accepts the form without `?` and does not check the api-version's value
 * (reference/iothub-mqtt.md §1.2 "Username details"). Undefined when it names no identity.
 */
export function parseUsername(username: string | undefined): ParsedUsername | undefined {
  if (username === undefined || username.length > 2048) return undefined;
  // `?` starts the query; without one, edgeHub's form `{host}/{id}/api-version=…` is read too.
  let question = username.indexOf('?');
  if (question < 0) {
    const bare = username.indexOf('/api-version=');
    question = bare < 0 ? -1 : bare + 1;
  }
  const path = question < 0 ? username : username.slice(0, question);
  const query = question < 0 ? '' : username.slice(question).replace(/^\?/, '');
  const segments = path.split('/');
  if (segments.at(-1) === '') segments.pop();
  const [host, deviceId, moduleId, ...extra] = segments;
  if (host === undefined || host === '' || deviceId === undefined || extra.length > 0) return undefined;
  if (!isValidIdentityId(deviceId) || (moduleId !== undefined && !isValidIdentityId(moduleId)))
    return undefined;
  return { host, identity: { deviceId, moduleId: moduleId ?? null }, query };
}

/** A host name without its `:port` suffix, lower-cased (DNS names compare case-insensitively). */
export function bareHost(host: string): string {
  const colon = host.lastIndexOf(':');
  const bare = colon > 0 && /^\d+$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
  return bare.toLowerCase();
}

/** True when two identities are the same device or module. */
export function sameIdentity(a: SessionIdentity, b: SessionIdentity): boolean {
  return a.deviceId === b.deviceId && a.moduleId === b.moduleId;
}
