/**
 * JSON schema 1.0 security messages (reference/azure-security-module.md §2.1–2.3): wire types for
 * every event, a fast validator that reports every violation, the decoder into Vigil's event model,
 * and Vigil's own JSON Schema of the format.
 */
export type {
  WireCategory,
  WireDateTime,
  WireDirection,
  WireEventEnvelope,
  WireEventType,
  WireExtraDetails,
  WireGuid,
  WireIpAddress,
  WireIpTag,
  WirePayloadItemBase,
  WirePort,
  WireProtocol,
  WireSecurityMessage,
} from './wire-types.js';
export type {
  WireConfigurationErrorPayload,
  WireConnectedHardwarePayload,
  WireConnectionCreatePayload,
  WireDiagnosticPayload,
  WireDroppedEventsPayload,
  WireEvent,
  WireEventName,
  WireEventOf,
  WireFirewallConfigurationPayload,
  WireListeningPortsPayload,
  WireLocalUsersPayload,
  WireLoginPayload,
  WireMessageStatisticsPayload,
  WireOsBaselinePayload,
  WireProcessCreatePayload,
  WireProcessTerminatePayload,
  WireSystemInformationPayload,
} from './wire-events.js';
export { JSON_EVENT_CATALOGUE, type JsonCatalogueEntry, type JsonFieldKind } from './event-catalogue.js';
export { timestampToEpochMs } from './formats.js';
export {
  JSON_LENIENCY_CODES,
  JSON_MESSAGE_LIMITS,
  type JsonLeniencyCode,
  type SecurityMessageError,
  type SecurityMessageWarning,
  type ValidateSecurityMessageOptions,
  type ValidationResult,
} from './validation-result.js';
export { validateSecurityMessage } from './validate.js';
export { decodeJsonSecurityMessage } from './decode.js';
export { parseJsonSecurityMessage } from './parse.js';
export { VIGIL_SECURITY_MESSAGE_SCHEMA, type JsonSchemaDocument } from './vigil-schema.js';
