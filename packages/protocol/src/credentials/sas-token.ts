import { createHmac } from 'node:crypto';
import { ProtocolError, type Violation } from '../errors/index.js';
import { decodeSymmetricKey, isBase64 } from './symmetric-key.js';
import { encodeSasComponent } from './resource-uri.js';

/** Longest SAS token Vigil reads (characters); real tokens are ~150–300. */
export const MAX_SAS_TOKEN_LENGTH = 4096;

const PREFIX = 'SharedAccessSignature ';

/** A parsed SAS token. The `encoded*` fields are the text as sent, which is what was signed. */
export interface SasToken {
  /** The resource (`sr`), percent-decoded, e.g. `myhub.azure-devices.net/devices/dev1`. */
  readonly resourceUri: string;
  /** `sr` exactly as received; the HMAC covers this text, not a re-encoding (reference/iothub-mqtt.md §1.3). */
  readonly encodedResourceUri: string;
  /** The signature (`sig`), percent-decoded: base64 of a 32-byte HMAC-SHA256. */
  readonly signature: string;
  /** Expiry (`se`), seconds since the epoch. */
  readonly expiresAt: number;
  /** `se` exactly as received (it is signed as text). */
  readonly encodedExpiry: string;
  /** The shared access policy (`skn`), percent-decoded; present only for policy-key tokens. */
  readonly policyName?: string;
}

/** Inputs of {@link generateSasToken}. */
export interface GenerateSasTokenOptions {
  /** Unencoded resource, usually from {@link deviceResourceUri}. */
  readonly resourceUri: string;
  /** Base64 symmetric key (device, module or policy). */
  readonly key: string;
  /** Set for a policy key (`skn`). */
  readonly policyName?: string;
  /** Expiry, whole seconds since the epoch. */
  readonly expiresAt: number;
}

/** Base64 HMAC-SHA256 of `{encoded sr}\n{se}` with the decoded key (reference/iothub-mqtt.md §1.3). */
export function signSas(key: Buffer, encodedResourceUri: string, encodedExpiry: string): Buffer {
  return createHmac('sha256', key).update(`${encodedResourceUri}\n${encodedExpiry}`).digest();
}

/**
 * Makes a SAS token byte for byte as azure-iot-common does (`SharedAccessSignature.create` after the device
 * SDK's `encodeUriComponentStrict` of the resource): `SharedAccessSignature sr=…&sig=…[&skn=…]&se=…`. The field
 * order is Node's (`sr, sig, skn, se`); receivers treat the fields as an unordered set.
 * Throws `INVALID_KEY` or `MALFORMED_SAS_TOKEN` (bad expiry or empty resource).
 */
export function generateSasToken(options: GenerateSasTokenOptions): string {
  const key = decodeSymmetricKey(options.key);
  if (!Number.isSafeInteger(options.expiresAt) || options.expiresAt <= 0) {
    throw new ProtocolError('MALFORMED_SAS_TOKEN', 'expiresAt must be a positive whole number of seconds');
  }
  if (options.resourceUri === '') {
    throw new ProtocolError('MALFORMED_SAS_TOKEN', 'resourceUri is empty');
  }
  const sr = encodeSasComponent(options.resourceUri);
  const se = String(options.expiresAt);
  const sig = encodeSasComponent(signSas(key, sr, se).toString('base64'));
  const skn = options.policyName === undefined ? '' : `&skn=${encodeSasComponent(options.policyName)}`;
  return `${PREFIX}sr=${sr}&sig=${sig}${skn}&se=${se}`;
}

const FIELDS = new Set(['sr', 'sig', 'se', 'skn']);

function decodeField(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Parses `SharedAccessSignature sr=…&sig=…&se=…[&skn=…]` with the fields in any order (Node and Embedded C
 * differ). Throws `MALFORMED_SAS_TOKEN` listing every problem; the message never repeats the signature.
 */
export function parseSasToken(text: string): SasToken {
  const problems: Violation[] = [];
  const problem = (path: string, message: string): void => void problems.push({ path, message });
  if (text.length > MAX_SAS_TOKEN_LENGTH) problem('$', `is longer than ${MAX_SAS_TOKEN_LENGTH} characters`);
  else if (!text.startsWith(PREFIX)) problem('$', 'does not start with "SharedAccessSignature "');
  const fields = new Map<string, string>();
  if (problems.length === 0) {
    for (const [index, pair] of text.slice(PREFIX.length).split('&').entries()) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0 || !FIELDS.has(name))
        problem(`[${index}]`, eq < 0 ? 'field is not name=value' : `unknown field "${name.slice(0, 16)}"`);
      else if (fields.has(name)) problem(name, 'appears more than once');
      else fields.set(name, pair.slice(eq + 1));
    }
  }
  const raw = (name: string): string | undefined => {
    const value = fields.get(name);
    if (value === undefined && name !== 'skn' && problems.length === 0) problem(name, 'is missing');
    if (value === '') problem(name, 'is empty');
    return value === '' ? undefined : value;
  };
  const sr = raw('sr');
  const sig = raw('sig');
  const se = raw('se');
  const skn = raw('skn');
  const resourceUri = sr === undefined ? undefined : decodeField(sr);
  if (sr !== undefined && resourceUri === undefined) problem('sr', 'has bad percent-encoding');
  const signature = sig === undefined ? undefined : decodeField(sig);
  if (
    sig !== undefined &&
    (signature === undefined || !isBase64(signature) || Buffer.byteLength(signature, 'base64') !== 32)
  ) {
    problem('sig', 'is not the base64 of a 32-byte HMAC-SHA256');
  }
  if (se !== undefined && !/^\d{1,12}$/.test(se)) problem('se', 'is not whole seconds since the epoch');
  const policyName = skn === undefined ? undefined : decodeField(skn);
  if (skn !== undefined && policyName === undefined) problem('skn', 'has bad percent-encoding');
  if (
    problems.length > 0 ||
    resourceUri === undefined ||
    signature === undefined ||
    se === undefined ||
    sr === undefined
  ) {
    const summary = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new ProtocolError('MALFORMED_SAS_TOKEN', `SAS token: ${summary}`, { violations: problems });
  }
  const token = { resourceUri, encodedResourceUri: sr, signature, expiresAt: Number(se), encodedExpiry: se };
  return policyName === undefined ? token : { ...token, policyName };
}
