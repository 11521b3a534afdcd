/**
 * Public door of the encoders: the JSON 1.0 (Linux/Edge) and FlatBuffers 2.3 (RTOS) output profiles,
 * each a core `MessageEncoder` plus the security message property bag.
 */
export { createJsonEncoder, toJsonSecurityMessage, type JsonEncoderOptions } from './json-encoder.js';
export { UNKNOWN_EXIT_STATUS } from './json-payloads.js';
export {
  createRtosEncoder,
  packModuleVersion,
  toRtosSecurityMessage,
  type RtosEncoderOptions,
} from './rtos-encoder.js';
export {
  collectorsOffByDefault,
  createOutputProfile,
  JSON_SECURITY_PROPERTIES,
  RTOS_SECURITY_PROPERTIES,
  type OutputProfile,
  type OutputProfileName,
  type OutputProfileOptions,
} from './output-profile.js';
