/**
 * Vigil's own JSON Schema (draft-07) for JSON 1.0 security messages. It is written by Vigil, not
 * taken from the vendor: it states in one self-contained document the contract the published
 * schemas express across fifteen files (reference/azure-security-module.md §2.1–2.2), with the
 * per-event rules as `if`/`then` on `Name` so tools report the real problem instead of "matches none
 * of oneOf". It is built from {@link JSON_EVENT_CATALOGUE}, the same table the validator walks, and
 * a test checks that Ajv with this schema and `validateSecurityMessage(x, { strict: true })` agree.
 *
 * It describes the strict contract. Vigil's validator additionally tolerates, with warnings,
 * `Category: "Aggregated"`, timestamps without zone and non-string ExtraDetails values
 * ({@link JSON_LENIENCY_CODES}); a schema cannot say "accept, but warn", so those stay out of it.
 */
import { JSON_EVENT_CATALOGUE, type JsonFieldKind } from './event-catalogue.js';
import { JSON_MESSAGE_LIMITS } from './validation-result.js';
import type { WireEventName } from './wire-events.js';

/** A JSON Schema document as plain data. */
export type JsonSchemaDocument = { readonly [keyword: string]: unknown };

function fieldSchema(kind: JsonFieldKind): JsonSchemaDocument {
  switch (kind.type) {
    case 'string':
    case 'protocol':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'ip':
      return { $ref: '#/definitions/ipAddress' };
    case 'guid':
      return { $ref: '#/definitions/guid' };
    case 'enum':
      return { type: 'string', enum: kind.values };
    case 'extra':
      return { $ref: '#/definitions/extraDetails' };
  }
}

const names = Object.keys(JSON_EVENT_CATALOGUE) as WireEventName[];

function payloadItemSchema(name: WireEventName): JsonSchemaDocument {
  const entry = JSON_EVENT_CATALOGUE[name];
  const properties = Object.fromEntries(
    Object.entries(entry.fields).map(([key, kind]) => [key, fieldSchema(kind)]),
  );
  return {
    title: `${name} payload item`,
    type: 'object',
    properties,
    additionalProperties: false,
    required: entry.required,
    ...(entry.requireOneOf
      ? {
          anyOf: entry.requireOneOf.map((key) => ({
            properties: { [key]: properties[key] },
            required: [key],
          })),
        }
      : {}),
  };
}

function perEventRule(name: WireEventName): JsonSchemaDocument {
  const entry = JSON_EVENT_CATALOGUE[name];
  return {
    if: { properties: { Name: { const: name } } },
    then: {
      properties: {
        Category: { const: entry.category },
        EventType: { const: entry.eventType },
        Payload: { type: 'array', items: { $ref: `#/definitions/payload/${name}` } },
      },
    },
  };
}

/** Freezes a plain-data tree, so no importer can change the schema others compile. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Vigil's JSON Schema (draft-07) of a JSON 1.0 security message, strict form; deeply frozen. */
export const VIGIL_SECURITY_MESSAGE_SCHEMA: JsonSchemaDocument = deepFreeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:vigil:schema:security-message:json-1.0',
  title: 'Vigil — IoT security message, JSON schema 1.0',
  description:
    "Vigil's schema of the security messages Linux/Windows security agents send (JSON 1.0). Equivalent to " +
    'the published schema set, self-contained, with per-event rules keyed on Name. Vigil also accepts, ' +
    'with warnings, Category "Aggregated", timestamps without zone and number or boolean ExtraDetails ' +
    `values; it caps a message at ${JSON_MESSAGE_LIMITS.maxEvents} events and ` +
    `${JSON_MESSAGE_LIMITS.maxPayloadItems} payload items.`,
  type: 'object',
  properties: {
    AgentVersion: { type: 'string' },
    AgentId: { $ref: '#/definitions/guid' },
    MessageSchemaVersion: { const: '1.0' },
    Events: {
      type: 'array',
      minItems: 1,
      maxItems: JSON_MESSAGE_LIMITS.maxEvents,
      items: { $ref: '#/definitions/event' },
    },
  },
  additionalProperties: false,
  required: ['AgentVersion', 'AgentId', 'MessageSchemaVersion', 'Events'],
  definitions: {
    guid: {
      description: 'Any string of exactly 36 characters (the published schema checks only the length).',
      type: 'string',
      minLength: 36,
      maxLength: 36,
    },
    dateTime: { type: 'string', format: 'date-time' },
    ipAddress: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
    extraDetails: { type: 'object', additionalProperties: { type: 'string' } },
    event: {
      type: 'object',
      properties: {
        Id: { $ref: '#/definitions/guid' },
        TimestampLocal: { $ref: '#/definitions/dateTime' },
        TimestampUTC: { $ref: '#/definitions/dateTime' },
        Category: { enum: ['Periodic', 'Triggered'] },
        Name: { enum: names },
        EventType: { enum: ['Security', 'Operational', 'Diagnostic'] },
        IsEmpty: { type: 'boolean' },
        PayloadSchemaVersion: { const: '1.0' },
        Payload: { type: 'array' },
      },
      additionalProperties: false,
      required: [
        'Id',
        'TimestampLocal',
        'TimestampUTC',
        'Category',
        'Name',
        'EventType',
        'IsEmpty',
        'PayloadSchemaVersion',
        'Payload',
      ],
      allOf: [
        {
          description: 'A Triggered event is never empty.',
          if: { properties: { Category: { const: 'Triggered' } } },
          then: { properties: { IsEmpty: { const: false } } },
        },
        {
          description: 'Only an event marked IsEmpty may have an empty payload.',
          if: { properties: { IsEmpty: { const: false } } },
          then: { properties: { Payload: { type: 'array', minItems: 1 } } },
        },
        ...names.map(perEventRule),
      ],
    },
    payload: Object.fromEntries(names.map((name) => [name, payloadItemSchema(name)])),
  },
});
