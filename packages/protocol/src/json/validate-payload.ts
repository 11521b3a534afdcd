/**
 * Checks of payload items against the event catalogue (reference/azure-security-module.md §2.2):
 * field types, formats, required fields, no unknown fields, and `ExtraDetails` as a string map.
 * Each catalogue entry is turned once into a lookup table, so the per-item loop does one Map lookup
 * per field and builds no strings unless something is wrong.
 */
import type { JsonCatalogueEntry, JsonFieldKind } from './event-catalogue.js';
import { normaliseProtocol } from './decode-values.js';
import { isGuidLength, isIpAddress } from './formats.js';
import { JSON_MESSAGE_LIMITS } from './validation-result.js';
import { describe, isJsonObject, pointerToken, quote, type ValidationContext } from './validation-context.js';

/** One field of a compiled entry: its kind, and whether it is required. */
interface FieldCheck {
  readonly kind: JsonFieldKind;
  readonly required: boolean;
}

/** A catalogue entry prepared for the item loop. */
export interface PayloadChecker {
  readonly name: string;
  readonly entry: JsonCatalogueEntry;
  /** By wire name, with a null prototype (a dictionary lookup measured faster than a Map here). */
  readonly fields: Readonly<Record<string, FieldCheck>>;
}

const checkers = new Map<JsonCatalogueEntry, PayloadChecker>();

/** The (cached) checker for an event's payload items. */
export function payloadChecker(name: string, entry: JsonCatalogueEntry): PayloadChecker {
  let checker = checkers.get(entry);
  if (checker === undefined) {
    const fields = Object.create(null) as Record<string, FieldCheck>;
    for (const [key, kind] of Object.entries(entry.fields))
      fields[key] = { kind, required: entry.required.includes(key) };
    checker = { name, entry, fields };
    checkers.set(entry, checker);
  }
  return checker;
}

/** Checks `ExtraDetails`: an object of strings (numbers and booleans tolerated, §2.3). */
function checkExtraDetails(ctx: ValidationContext, value: unknown, path: string): void {
  if (!isJsonObject(value)) {
    ctx.fail(path, `must be an object of strings, got ${describe(value)}`);
    return;
  }
  let count = 0;
  for (const key in value) {
    if (++count > JSON_MESSAGE_LIMITS.maxExtraDetails) {
      ctx.fail(path, `has more than ${JSON_MESSAGE_LIMITS.maxExtraDetails} entries`);
      return;
    }
    const detail = value[key];
    if (typeof detail === 'string' || detail === undefined) continue;
    const at = `${path}/${pointerToken(key)}`;
    if ((typeof detail === 'number' && Number.isFinite(detail)) || typeof detail === 'boolean') {
      ctx.lenient(
        at,
        'EXTRA_DETAILS_NOT_STRING',
        `ExtraDetails value is a ${typeof detail}; read as text (the C agent sends HitCount as a number)`,
        `must be a string, got ${typeof detail}`,
      );
    } else ctx.fail(at, `must be a string, got ${describe(detail)}`);
    if (ctx.full) return;
  }
}

/** How each protocol spelling seen so far reads (`null`: canonical), bounded; agents use a handful. */
const protocolReadings = new Map<string, string | null>();
const MAX_PROTOCOL_READINGS = 256;

/** `TCP over IPv6` for `tcp6`, `UDP` for `udp`, null for a canonical upper-case name. */
function protocolReading(value: string): string | null {
  let reading = protocolReadings.get(value);
  if (reading === undefined) {
    const { protocol, ipVersion } = normaliseProtocol(value);
    const canonical = protocol.toUpperCase();
    reading = ipVersion !== undefined ? `${canonical} over IPv6` : value === canonical ? null : canonical;
    if (protocolReadings.size < MAX_PROTOCOL_READINGS) protocolReadings.set(value, reading);
  }
  return reading;
}

/**
 * Checks a protocol name: any string passes (the schema's `protocol` type), but a spelling other
 * than the upper-case name is noted (not under `strict`) once per message and spelling, since the
 * decoder reads `tcp`, `Tcp` and `tcp6` alike (reference §2.1).
 */
function checkProtocol(
  ctx: ValidationContext,
  value: unknown,
  itemsPath: string,
  index: number,
  key: string,
): void {
  if (typeof value !== 'string') {
    ctx.fail(`${itemsPath}${index}/${key}`, `must be a string, got ${describe(value)}`);
    return;
  }
  // Under strict the published schema speaks, and to it any string is a protocol.
  if (ctx.strict) return;
  const reading = protocolReading(value);
  if (reading !== null)
    ctx.warnOnce('PROTOCOL_NAME_NORMALISED', value, () => ({
      path: `${itemsPath}${index}/${key}`,
      message: `protocol ${quote(value)} read as ${reading}`,
    }));
}

/** Null when `value` fits `kind`, else the message. ExtraDetails is checked separately. */
function fieldProblem(kind: JsonFieldKind, value: unknown): string | null {
  switch (kind.type) {
    case 'string':
    case 'protocol':
      return typeof value === 'string' ? null : `must be a string, got ${describe(value)}`;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? null
        : `must be an integer, got ${describe(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be a boolean, got ${describe(value)}`;
    case 'ip':
      if (typeof value !== 'string') return `must be an IP address string, got ${describe(value)}`;
      return isIpAddress(value) ? null : 'must be an IPv4 or IPv6 address';
    case 'guid':
      if (typeof value !== 'string') return `must be a GUID string, got ${describe(value)}`;
      return isGuidLength(value) ? null : 'must be a GUID of exactly 36 characters';
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value)
        ? null
        : `must be one of ${kind.values.map((v) => JSON.stringify(v)).join(', ')}, got ${typeof value === 'string' ? quote(value) : describe(value)}`;
    case 'extra':
      return null;
  }
}

/** Checks one payload item; `itemsPath` + `index` is its pointer, built only when reporting. */
export function checkPayloadItem(
  ctx: ValidationContext,
  item: unknown,
  checker: PayloadChecker,
  itemsPath: string,
  index: number,
): void {
  if (!isJsonObject(item)) {
    ctx.fail(itemsPath + index, `must be an object, got ${describe(item)}`);
    return;
  }
  const { fields, name, entry } = checker;
  let requiredSeen = 0;
  for (const key in item) {
    const field = fields[key];
    const value = item[key];
    if (field === undefined) {
      ctx.fail(`${itemsPath}${index}/${pointerToken(key)}`, `is not a field of ${name} payloads`);
      if (ctx.full) return;
      continue;
    }
    if (value === undefined) continue;
    if (field.required) requiredSeen += 1;
    const kind = field.kind;
    if (kind.type === 'string') {
      // The common case, kept free of calls.
      if (typeof value !== 'string')
        ctx.fail(`${itemsPath}${index}/${key}`, `must be a string, got ${describe(value)}`);
    } else if (kind.type === 'extra') checkExtraDetails(ctx, value, `${itemsPath}${index}/${key}`);
    else if (kind.type === 'protocol') checkProtocol(ctx, value, itemsPath, index, key);
    else {
      const problem = fieldProblem(kind, value);
      if (problem !== null) ctx.fail(`${itemsPath}${index}/${key}`, problem);
    }
  }
  if (requiredSeen < entry.required.length) {
    for (const key of entry.required)
      if (item[key] === undefined) ctx.fail(`${itemsPath}${index}/${key}`, `is required in ${name} payloads`);
  }
  const oneOf = entry.requireOneOf;
  if (oneOf !== undefined && oneOf.every((key) => item[key] === undefined)) {
    ctx.fail(itemsPath + index, `needs at least one of ${oneOf.join(', ')}`);
  }
}
