/**
 * The hand-written validator of JSON 1.0 security messages (reference/azure-security-module.md
 * §2.1–2.2). It accepts exactly what the published schemas accept (checked against them in
 * `oracle.test.ts`) plus, unless `strict`, the documented leniencies of {@link JSON_LENIENCY_CODES}, and it
 * reports every violation with its JSON Pointer.
 */
import { catalogueEntry, type JsonCatalogueEntry } from './event-catalogue.js';
import { isGuidLength, timestampShape } from './formats.js';
import { checkPayloadItem, payloadChecker } from './validate-payload.js';
import { describe, isJsonObject, pointerToken, quote, ValidationContext } from './validation-context.js';
import {
  JSON_MESSAGE_LIMITS,
  type ValidateSecurityMessageOptions,
  type ValidationResult,
} from './validation-result.js';

const EVENT_KEYS = [
  'Id',
  'TimestampLocal',
  'TimestampUTC',
  'Category',
  'Name',
  'EventType',
  'IsEmpty',
  'PayloadSchemaVersion',
  'Payload',
] as const;
const EVENT_KEY_SET: ReadonlySet<string> = new Set(EVENT_KEYS);
const EVENT_TYPES: ReadonlySet<unknown> = new Set(['Security', 'Operational', 'Diagnostic']);

function checkGuid(ctx: ValidationContext, value: unknown, path: string): void {
  if (typeof value !== 'string') ctx.fail(path, `must be a GUID string, got ${describe(value)}`);
  else if (!isGuidLength(value)) ctx.fail(path, 'must be a GUID of exactly 36 characters');
}

function checkTimestamp(ctx: ValidationContext, value: unknown, path: string): void {
  if (typeof value !== 'string') {
    ctx.fail(path, `must be a date-time string, got ${describe(value)}`);
    return;
  }
  const shape = timestampShape(value);
  if (shape === 'invalid') ctx.fail(path, 'must be an RFC 3339 date-time (2018-08-10T11:01:21.000+01:00)');
  else if (shape === 'unzoned')
    ctx.lenient(
      path,
      'TIMESTAMP_NO_ZONE',
      'date-time without zone (C# agent "s" format); read as UTC',
      'must be an RFC 3339 date-time with a zone (Z or ±hh:mm)',
    );
}

/** The category that governs the IsEmpty/Payload rules: Aggregated events behave as Triggered. */
function checkCategory(
  ctx: ValidationContext,
  value: unknown,
  entry: JsonCatalogueEntry | undefined,
  name: unknown,
  path: string,
): 'Periodic' | 'Triggered' | null {
  if (value === 'Periodic' || value === 'Triggered') {
    if (entry !== undefined && value !== entry.category)
      ctx.fail(path, `must be "${entry.category}" for ${String(name)} events`);
    return value;
  }
  if (value === 'Aggregated') {
    if (ctx.strict)
      ctx.fail(path, 'must be "Periodic" or "Triggered" ("Aggregated" is not in the published schema)');
    else if (entry !== undefined && !entry.aggregatable)
      ctx.fail(path, `"Aggregated" is only sent for ProcessCreate, ConnectionCreate and ProcessTerminate`);
    else ctx.warn(path, 'CATEGORY_AGGREGATED', 'Aggregated event (§2.3), accepted as Triggered');
    return 'Triggered';
  }
  ctx.fail(
    path,
    `must be "Periodic" or "Triggered", got ${typeof value === 'string' ? quote(value) : describe(value)}`,
  );
  return null;
}

/** Checks one event; `path` is its pointer (`/Events/3`). */
function checkEvent(ctx: ValidationContext, event: unknown, path: string): void {
  if (!isJsonObject(event)) {
    ctx.fail(path, `must be an object, got ${describe(event)}`);
    return;
  }
  for (const key in event) {
    if (!EVENT_KEY_SET.has(key)) ctx.fail(`${path}/${pointerToken(key)}`, 'is not an event field');
    if (ctx.full) return;
  }
  for (const key of EVENT_KEYS)
    if (event[key] === undefined) ctx.fail(`${path}/${key}`, 'is required in every event');

  const {
    Id,
    TimestampLocal,
    TimestampUTC,
    Category,
    Name,
    EventType,
    IsEmpty,
    PayloadSchemaVersion,
    Payload,
  } = event;
  if (Id !== undefined) checkGuid(ctx, Id, `${path}/Id`);
  if (TimestampLocal !== undefined) checkTimestamp(ctx, TimestampLocal, `${path}/TimestampLocal`);
  if (TimestampUTC !== undefined) checkTimestamp(ctx, TimestampUTC, `${path}/TimestampUTC`);

  let entry: JsonCatalogueEntry | undefined;
  if (typeof Name === 'string') {
    entry = catalogueEntry(Name);
    if (entry === undefined)
      ctx.fail(`${path}/Name`, `${quote(Name)} is not an event of the JSON 1.0 catalogue`);
  } else if (Name !== undefined) ctx.fail(`${path}/Name`, `must be a string, got ${describe(Name)}`);

  const category =
    Category === undefined ? null : checkCategory(ctx, Category, entry, Name, `${path}/Category`);
  if (EventType !== undefined) {
    if (!EVENT_TYPES.has(EventType))
      ctx.fail(`${path}/EventType`, 'must be "Security", "Operational" or "Diagnostic"');
    else if (entry !== undefined && EventType !== entry.eventType)
      ctx.fail(`${path}/EventType`, `must be "${entry.eventType}" for ${String(Name)} events`);
  }
  if (IsEmpty !== undefined && typeof IsEmpty !== 'boolean')
    ctx.fail(`${path}/IsEmpty`, `must be a boolean, got ${describe(IsEmpty)}`);
  if (PayloadSchemaVersion !== undefined) {
    if (typeof PayloadSchemaVersion !== 'string')
      ctx.fail(`${path}/PayloadSchemaVersion`, `must be a string, got ${describe(PayloadSchemaVersion)}`);
    else if (entry !== undefined && PayloadSchemaVersion !== '1.0')
      ctx.fail(`${path}/PayloadSchemaVersion`, 'must be "1.0"');
  }
  if (Payload === undefined) return;
  if (!Array.isArray(Payload)) {
    ctx.fail(`${path}/Payload`, `must be an array, got ${describe(Payload)}`);
    return;
  }
  // The schema's oneOf (message_v1_0.json): Periodic may be empty only with IsEmpty true;
  // Triggered is never empty.
  if (category !== null && typeof IsEmpty === 'boolean') {
    if (category === 'Triggered' && IsEmpty)
      ctx.fail(`${path}/IsEmpty`, 'must be false for a Triggered event');
    else if (!IsEmpty && Payload.length === 0)
      ctx.fail(`${path}/Payload`, 'must not be empty when IsEmpty is false');
  }
  if (entry === undefined) return;
  ctx.items += Payload.length;
  if (ctx.items > JSON_MESSAGE_LIMITS.maxPayloadItems) {
    ctx.fail(
      `${path}/Payload`,
      `the message has more than ${JSON_MESSAGE_LIMITS.maxPayloadItems} payload items`,
    );
    return;
  }
  const checker = payloadChecker(Name as string, entry);
  const itemsPath = `${path}/Payload/`;
  for (let j = 0; j < Payload.length && !ctx.full; j += 1)
    checkPayloadItem(ctx, Payload[j], checker, itemsPath, j);
}

/**
 * Validates a parsed JSON 1.0 security message and returns every violation with its JSON Pointer,
 * plus warnings for tolerated agent quirks (`strict: true` makes those errors). Never throws.
 */
export function validateSecurityMessage(
  value: unknown,
  options: ValidateSecurityMessageOptions = {},
): ValidationResult {
  const ctx = new ValidationContext(options.strict === true);
  if (!isJsonObject(value)) {
    ctx.fail('', `a security message must be a JSON object, got ${describe(value)}`);
    return { valid: false, errors: ctx.errors, warnings: ctx.warnings };
  }
  for (const key in value) {
    if (key !== 'AgentVersion' && key !== 'AgentId' && key !== 'MessageSchemaVersion' && key !== 'Events')
      ctx.fail(`/${pointerToken(key)}`, 'is not a message field');
    if (ctx.full) break;
  }
  const { AgentVersion, AgentId, MessageSchemaVersion, Events } = value;
  if (AgentVersion === undefined) ctx.fail('/AgentVersion', 'is required');
  else if (typeof AgentVersion !== 'string')
    ctx.fail('/AgentVersion', `must be a string, got ${describe(AgentVersion)}`);
  if (AgentId === undefined) ctx.fail('/AgentId', 'is required');
  else checkGuid(ctx, AgentId, '/AgentId');
  if (MessageSchemaVersion === undefined) ctx.fail('/MessageSchemaVersion', 'is required');
  else if (MessageSchemaVersion !== '1.0') ctx.fail('/MessageSchemaVersion', 'must be "1.0"');
  if (Events === undefined) ctx.fail('/Events', 'is required');
  else if (!Array.isArray(Events)) ctx.fail('/Events', `must be an array, got ${describe(Events)}`);
  else if (Events.length === 0) ctx.fail('/Events', 'must contain at least one event');
  else if (Events.length > JSON_MESSAGE_LIMITS.maxEvents)
    ctx.fail('/Events', `has ${Events.length} events; at most ${JSON_MESSAGE_LIMITS.maxEvents} are accepted`);
  else for (let i = 0; i < Events.length && !ctx.full; i += 1) checkEvent(ctx, Events[i], `/Events/${i}`);
  return { valid: ctx.errors.length === 0, errors: ctx.errors, warnings: ctx.warnings };
}
