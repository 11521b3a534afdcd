/** TLS, WebSocket and plain TCP listeners, with per-connection context and a frame-size guard. */
export {
  startListeners,
  WEBSOCKET_PATH,
  type ConnectionHandler,
  type ListenerAddresses,
  type Listeners,
} from './listeners.js';
export { contextOf, peerCertificateChain, type ConnectionContext } from './connection-context.js';
export { FrameRejectedError, FrameScanner, guardedConnection } from './frame-guard.js';
