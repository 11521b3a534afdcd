/**
 * Decodes a parsed JSON 1.0 security message into Vigil's normalised event model
 * (`events/model.ts`): validate first, then map every event (reference/azure-security-module.md §2.2).
 */
import type { DecodedSecurityMessage, SecurityEvent, SecurityEventHeader } from '../events/index.js';
import { ProtocolError, toProtocolError } from '../errors/index.js';
import { decodeEventBody } from './decode-payloads.js';
import { aggregationInfo, extraDetails } from './decode-values.js';
import { timestampToEpochMs } from './formats.js';
import { validateSecurityMessage } from './validate.js';
import type { ValidateSecurityMessageOptions } from './validation-result.js';
import type { WireEvent } from './wire-events.js';
import type { WireSecurityMessage } from './wire-types.js';

function decodeHeader(event: WireEvent): SecurityEventHeader {
  const header: SecurityEventHeader = {
    id: event.Id.toLowerCase(),
    name: event.Name,
    eventType: event.EventType,
    category: event.Category,
    timeUtc: timestampToEpochMs(event.TimestampUTC),
    timeLocalText: event.TimestampLocal,
    format: 'json-1.0',
  };
  if (event.Category !== 'Aggregated') return header;
  // One aggregated event stands for one distinct payload; its counters ride in that item's ExtraDetails (§2.3).
  const first = event.Payload[0] as { ExtraDetails?: unknown } | undefined;
  return { ...header, aggregation: aggregationInfo(extraDetails(first?.ExtraDetails)) };
}

/**
 * Validates `value` as a JSON 1.0 security message and decodes it. Tolerated agent quirks come back
 * as `warnings`; with `strict: true` they are violations instead.
 * @throws ProtocolError `INVALID_SECURITY_MESSAGE` with every violation (JSON Pointer paths).
 */
export function decodeJsonSecurityMessage(
  value: unknown,
  options: ValidateSecurityMessageOptions = {},
): DecodedSecurityMessage {
  const result = validateSecurityMessage(value, options);
  if (!result.valid) {
    const first = result.errors[0]!;
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
    throw new ProtocolError(
      'INVALID_SECURITY_MESSAGE',
      `security message violates JSON schema 1.0: ${first.path === '' ? 'the message' : first.path} ${first.message}${more}`,
      { violations: result.errors },
    );
  }
  const message = value as WireSecurityMessage;
  try {
    const events: SecurityEvent[] = message.Events.map((event) =>
      decodeEventBody(event, decodeHeader(event)),
    );
    return {
      format: 'json-1.0',
      agentId: message.AgentId,
      agentVersion: message.AgentVersion,
      schemaVersion: message.MessageSchemaVersion,
      events,
      warnings: result.warnings,
    };
  } catch (thrown) {
    // Validation vouches for every shape the mappers read; a throw here is a Vigil bug, surfaced typed.
    throw toProtocolError(thrown, 'INTERNAL');
  }
}
