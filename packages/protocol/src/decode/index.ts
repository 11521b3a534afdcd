/**
 * The one entry point the hub's ingest path and outside checks call: a security message body and its
 * properties in, Vigil's event model (or a typed refusal) out.
 */
export {
  decodeSecurityMessage,
  type DecodeSecurityMessageResult,
  type SecurityMessageProperties,
} from './decode-security-message.js';
