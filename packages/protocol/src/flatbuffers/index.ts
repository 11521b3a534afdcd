/**
 * The RTOS FlatBuffers security message format, schema "AzureIoTSecurity" 2.3
 * (reference/azure-security-module.md §1.7–1.8): typed messages, encoder, verifying decoder.
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
