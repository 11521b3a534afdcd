import { ProtocolError, type Violation } from '../errors/index.js';
import { identityIdProblem } from '../mqtt/index.js';
import { parseSasToken } from './sas-token.js';
import { symmetricKeyProblem } from './symmetric-key.js';

/** Fields shared by the device and module connection strings. */
interface IdentityFields {
  readonly hostName: string;
  readonly deviceId: string;
  readonly moduleId?: string;
  /** Where the socket goes; `HostName` still names the hub in the username and `sr` (reference/iothub-mqtt.md §2). */
  readonly gatewayHostName?: string;
}

/** A parsed IoT Hub connection string, by how it authenticates. */
export type ConnectionString =
  /** `HostName;DeviceId[;ModuleId];SharedAccessKey` (with `SharedAccessKeyName` when a policy key signs for the device). */
  | (IdentityFields & {
      readonly kind: 'device-key';
      readonly sharedAccessKey: string;
      readonly sharedAccessKeyName?: string;
    })
  /** `HostName;DeviceId[;ModuleId];x509=true`. */
  | (IdentityFields & { readonly kind: 'device-x509' })
  /** `HostName;DeviceId[;ModuleId];SharedAccessSignature=SharedAccessSignature sr=…`. */
  | (IdentityFields & { readonly kind: 'device-sas'; readonly sharedAccessSignature: string })
  /** A hub policy string: `HostName;SharedAccessKeyName;SharedAccessKey`. */
  | {
      readonly kind: 'hub-policy';
      readonly hostName: string;
      readonly sharedAccessKeyName: string;
      readonly sharedAccessKey: string;
    }
  /** A hub-level token: `HostName;SharedAccessSignature=…`. */
  | { readonly kind: 'hub-sas'; readonly hostName: string; readonly sharedAccessSignature: string };

const KNOWN = [
  'HostName',
  'DeviceId',
  'ModuleId',
  'SharedAccessKeyName',
  'SharedAccessKey',
  'SharedAccessSignature',
  'x509',
  'GatewayHostName',
] as const;
type PartName = (typeof KNOWN)[number];

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?$/;

/** Splits `Name=Value;…` into parts, recording every structural problem. Values are never quoted. */
function splitParts(text: string, problem: (path: string, message: string) => void): Map<PartName, string> {
  const parts = new Map<PartName, string>();
  for (const [index, segment] of text.split(';').entries()) {
    if (segment.trim() === '') continue;
    const eq = segment.indexOf('=');
    if (eq <= 0) {
      problem(`[${index}]`, `part ${index + 1} is not Name=Value`);
      continue;
    }
    const name = segment.slice(0, eq).trim();
    const known = KNOWN.find((k) => k === name);
    if (known === undefined) {
      const nearly = KNOWN.find((k) => k.toLowerCase() === name.toLowerCase());
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      problem(
        shown,
        nearly === undefined
          ? `unknown part "${shown}"`
          : `unknown part "${shown}" (names are case-sensitive: ${nearly})`,
      );
    } else if (parts.has(known)) problem(known, `${known} appears more than once`);
    else if (segment.slice(eq + 1) === '') problem(known, `${known} is empty`);
    else parts.set(known, segment.slice(eq + 1));
  }
  return parts;
}

/**
 * Parses a device, module or hub policy connection string. Every problem is reported at once in
 * `MALFORMED_CONNECTION_STRING` (with `violations`): missing parts, unknown or duplicated parts, bad ids or
 * host names, a key that is not base64, and contradictions (two credentials, `ModuleId` without `DeviceId`,
 * `SharedAccessKeyName` with x509, …). Keys and signatures never appear in the message.
 */
export function parseConnectionString(text: string): ConnectionString {
  const problems: Violation[] = [];
  const problem = (path: string, message: string): void => void problems.push({ path, message });
  const parts = splitParts(text, problem);
  const get = (name: PartName): string | undefined => parts.get(name);
  const hostName = get('HostName');
  const deviceId = get('DeviceId');
  const moduleId = get('ModuleId');
  const keyName = get('SharedAccessKeyName');
  const key = get('SharedAccessKey');
  const signature = get('SharedAccessSignature');
  const x509 = get('x509');
  const gateway = get('GatewayHostName');

  if (hostName === undefined) problem('HostName', 'HostName is missing');
  else if (!HOST.test(hostName)) problem('HostName', 'HostName is not a host name with an optional :port');
  if (gateway !== undefined && !HOST.test(gateway))
    problem('GatewayHostName', 'GatewayHostName is not a host name with an optional :port');
  const deviceProblem = deviceId === undefined ? undefined : identityIdProblem(deviceId, 'device id');
  if (deviceProblem !== undefined) problem('DeviceId', deviceProblem);
  const moduleProblem = moduleId === undefined ? undefined : identityIdProblem(moduleId, 'module id');
  if (moduleProblem !== undefined) problem('ModuleId', moduleProblem);
  if (moduleId !== undefined && deviceId === undefined) problem('ModuleId', 'ModuleId needs a DeviceId');

  const credentials = [key, signature, x509].filter((c) => c !== undefined).length;
  if (credentials === 0)
    problem('$', 'one of SharedAccessKey, SharedAccessSignature or x509=true is required');
  if (credentials > 1)
    problem('$', 'only one of SharedAccessKey, SharedAccessSignature and x509 may be given');
  if (x509 !== undefined && x509.toLowerCase() !== 'true') problem('x509', 'x509 must be "true"');
  if (key !== undefined) {
    const keyProblem = symmetricKeyProblem(key);
    if (keyProblem !== undefined) problem('SharedAccessKey', `SharedAccessKey ${keyProblem}`);
  }
  if (signature !== undefined) {
    try {
      parseSasToken(signature);
    } catch (error) {
      problem(
        'SharedAccessSignature',
        error instanceof Error ? error.message : 'SharedAccessSignature is malformed',
      );
    }
  }
  if (keyName !== undefined && key === undefined)
    problem('SharedAccessKeyName', 'SharedAccessKeyName needs a SharedAccessKey');
  if (deviceId === undefined) {
    if (x509 !== undefined) problem('x509', 'x509 needs a DeviceId');
    if (key !== undefined && keyName === undefined)
      problem(
        'SharedAccessKey',
        'SharedAccessKey needs a DeviceId (device key) or a SharedAccessKeyName (policy key)',
      );
    if (gateway !== undefined)
      problem('GatewayHostName', 'GatewayHostName applies only to device and module connection strings');
  }

  if (problems.length > 0 || hostName === undefined) {
    const summary = problems.map((p) => p.message).join('; ');
    throw new ProtocolError('MALFORMED_CONNECTION_STRING', `connection string: ${summary}`, {
      violations: problems,
    });
  }
  if (deviceId === undefined) {
    return signature !== undefined
      ? { kind: 'hub-sas', hostName, sharedAccessSignature: signature }
      : { kind: 'hub-policy', hostName, sharedAccessKeyName: keyName ?? '', sharedAccessKey: key ?? '' };
  }
  const identity: IdentityFields = {
    hostName,
    deviceId,
    ...(moduleId === undefined ? {} : { moduleId }),
    ...(gateway === undefined ? {} : { gatewayHostName: gateway }),
  };
  if (x509 !== undefined) return { ...identity, kind: 'device-x509' };
  if (signature !== undefined) return { ...identity, kind: 'device-sas', sharedAccessSignature: signature };
  return {
    ...identity,
    kind: 'device-key',
    sharedAccessKey: key ?? '',
    ...(keyName === undefined ? {} : { sharedAccessKeyName: keyName }),
  };
}

/**
 * Writes a connection string in the usual order (`HostName;DeviceId;ModuleId;SharedAccessKeyName;credential;
 * GatewayHostName`) and checks it by parsing it back, so what it returns always parses to `parts`.
 * Throws `MALFORMED_CONNECTION_STRING` like {@link parseConnectionString}.
 */
export function formatConnectionString(parts: ConnectionString): string {
  const out: string[] = [`HostName=${parts.hostName}`];
  if (parts.kind === 'hub-policy') {
    out.push(`SharedAccessKeyName=${parts.sharedAccessKeyName}`, `SharedAccessKey=${parts.sharedAccessKey}`);
  } else if (parts.kind === 'hub-sas') {
    out.push(`SharedAccessSignature=${parts.sharedAccessSignature}`);
  } else {
    out.push(`DeviceId=${parts.deviceId}`);
    if (parts.moduleId !== undefined) out.push(`ModuleId=${parts.moduleId}`);
    if (parts.kind === 'device-key') {
      if (parts.sharedAccessKeyName !== undefined)
        out.push(`SharedAccessKeyName=${parts.sharedAccessKeyName}`);
      out.push(`SharedAccessKey=${parts.sharedAccessKey}`);
    } else if (parts.kind === 'device-sas') {
      out.push(`SharedAccessSignature=${parts.sharedAccessSignature}`);
    } else {
      out.push('x509=true');
    }
    if (parts.gatewayHostName !== undefined) out.push(`GatewayHostName=${parts.gatewayHostName}`);
  }
  // A `;` inside a value would start a new part (and could smuggle one in), so it is refused outright.
  const withSemicolon = out.find((part) => part.includes(';'));
  if (withSemicolon !== undefined) {
    const name = withSemicolon.slice(0, withSemicolon.indexOf('='));
    throw new ProtocolError('MALFORMED_CONNECTION_STRING', `connection string: ${name} may not contain ";"`, {
      violations: [{ path: name, message: `${name} may not contain ";"` }],
    });
  }
  const text = out.join(';');
  parseConnectionString(text);
  return text;
}
