/**
 * The RTOS FlatBuffers security message format, schema "AzureIoTSecurity" 2.3
 * (reference/azure-security-module.md §1.7–1.8; azure-iot-security.fbs): typed messages, an encoder, a
 * decoder that verifies every byte it will read, the `mti` property, and normalisation into the event
 * model that JSON 1.0 messages share.
 */
export {
  RTOS_LOG_LEVELS,
  RTOS_MAX_MESSAGE_BYTES,
  RTOS_PAYLOAD_TYPES,
  RTOS_PROCESS_EVENT_TYPES,
  RTOS_PROTOCOLS,
  RTOS_RESULTS,
  RTOS_SEVERITIES,
  formatRtosModuleVersion,
  type RtosBaselineCheck,
  type RtosEvent,
  type RtosListeningPort,
  type RtosLogLevel,
  type RtosLogRecord,
  type RtosNetworkActivityCommon,
  type RtosNetworkFlow,
  type RtosPayload,
  type RtosPayloadOf,
  type RtosPayloadType,
  type RtosProcessEventType,
  type RtosProtocol,
  type RtosResult,
  type RtosSecurityMessage,
  type RtosSeverity,
} from './rtos-message.js';
export { encodeRtosMessage, type EncodeRtosOptions } from './encode.js';
export { decodeRtosMessage, type DecodeRtosOptions } from './decode.js';
export {
  MTI_ENCODINGS,
  MTI_MESSAGE_TYPES,
  MTI_SOURCES,
  RTOS_MTI,
  SUPPORTED_MTI_SCHEMA_VERSIONS,
  formatMti,
  parseMti,
  type MtiEncoding,
  type MtiMessageType,
  type MtiParts,
  type MtiSource,
  type ParsedMti,
} from './mti.js';
export {
  RTOS_WARNING_CODES,
  normaliseRtosMessage,
  type NormaliseRtosOptions,
  type RtosWarningCode,
} from './normalise.js';
export { decodeFlatbuffersSecurityMessage } from './decode-security-message.js';
