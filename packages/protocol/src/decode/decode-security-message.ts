import { toProtocolError, ProtocolError } from '../errors/index.js';
import type { DecodedSecurityMessage } from '../events/index.js';
import { decodeFlatbuffersSecurityMessage, parseMti } from '../flatbuffers/index.js';
import { parseJsonSecurityMessage } from '../json/index.js';
import { MTI_PROPERTY, type PropertyBag } from '../mqtt/index.js';

/**
 * The message properties {@link decodeSecurityMessage} reads: a decoded topic property bag, a map, or
 * a flat record of properties such as an ingest record carries (`{ mti: '2.3-1-0-0', … }`). Only `mti`
 * decides the format.
 */
export type SecurityMessageProperties =
  Pick<PropertyBag, 'application'> | ReadonlyMap<string, string | null> | Readonly<Record<string, unknown>>;

/** What {@link decodeSecurityMessage} returns: the normalised message, or the typed reason it was refused. */
export type DecodeSecurityMessageResult =
  | { readonly ok: true; readonly message: DecodedSecurityMessage }
  | { readonly ok: false; readonly error: ProtocolError };

/**
 * Decodes a security message body into Vigil's event model, choosing the wire format by the `mti`
 * property: absent ⇒ JSON schema 1.0 (the Linux/Windows agents and SDK samples, reference §2.1); an
 * `mti` whose encoding is FlatBuffers ⇒ the RTOS schema (§1.7, §1.8); an `mti` naming JSON ⇒ JSON.
 *
 * Never throws: every problem comes back as `{ ok: false, error }` with a stable code
 * (`MESSAGE_TOO_LARGE`, `MALFORMED_MTI`, `UNSUPPORTED_SCHEMA`, `MALFORMED_JSON`,
 * `INVALID_SECURITY_MESSAGE` with every violation, `MALFORMED_FLATBUFFER`).
 */
export function decodeSecurityMessage(
  body: Uint8Array,
  properties: SecurityMessageProperties = {},
): DecodeSecurityMessageResult {
  try {
    const mti = readMti(properties);
    if (mti === undefined) return { ok: true, message: parseJsonSecurityMessage(body) };
    const parsed = parseMti(mti);
    const message =
      parsed.encoding === 'flatbuffers'
        ? decodeFlatbuffersSecurityMessage(body, parsed)
        : parseJsonSecurityMessage(body);
    return { ok: true, message };
  } catch (thrown) {
    return { ok: false, error: toProtocolError(thrown) };
  }
}

function readMti(properties: SecurityMessageProperties): string | undefined {
  let value: unknown;
  if (properties instanceof Map) value = properties.get(MTI_PROPERTY);
  else if (isPropertyBag(properties)) value = properties.application[MTI_PROPERTY];
  else value = (properties as Readonly<Record<string, unknown>>)[MTI_PROPERTY];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ProtocolError('MALFORMED_MTI', `the mti property must be text, not ${typeof value}`);
  }
  return value;
}

function isPropertyBag(value: SecurityMessageProperties): value is Pick<PropertyBag, 'application'> {
  const application = (value as { application?: unknown }).application;
  return typeof application === 'object' && application !== null && !(value instanceof Map);
}
