export {
  PROTOCOL_ERROR_CODES,
  ProtocolError,
  isProtocolError,
  toProtocolError,
  type ProtocolErrorCode,
  type ProtocolErrorOptions,
  type Violation,
} from './protocol-error.js';
