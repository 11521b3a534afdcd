/** The MQTT gateway on Aedes: hooks, sessions, D2C ingestion and the device channel. */
export { createGateway, type Gateway } from './gateway.js';
export { INGEST_PROPERTIES, d2cIngestRecord, type D2cMessage } from './d2c-record.js';
export { createD2cCounter, type D2cCounter } from './d2c-counter.js';
export { DELIVERY_ACK_TIMEOUT_MS } from './channel.js';
export { Session, SessionRegistry } from './session.js';
export {
  D2C_REJECTION_REASONS,
  UNAUTHORIZED_OPERATION_REASONS,
  type D2cRejectionReason,
  type UnauthorizedOperationReason,
} from './reasons.js';
