/**
 * Public door of the transport: MQTT to the hub in the IoT Hub dialect (device or `azureiotsecurity`
 * module, SAS or X.509, TLS), QoS 1 security messages, the twin, reconnect with backoff and jitter.
 */
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export {
  connectionSettings,
  connectPassword,
  IOT_HUB_API_VERSION,
  type ConnectionSettings,
  type ConnectionSettingsOptions,
  type Password,
  type TransportCredential,
} from './connection-settings.js';
export {
  createMqttConnection,
  type ConnectionStats,
  type MqttConnection,
  type MqttConnectionOptions,
  type TransportTls,
} from './mqtt-connection.js';
export {
  createTwinClient,
  TwinRequestError,
  type TwinChannel,
  type TwinClient,
  type TwinDocument,
  type TwinObject,
} from './twin-client.js';
export {
  createMqttTransport,
  SECURITY_MODULE_ID,
  type MqttTransport,
  type MqttTransportOptions,
} from './mqtt-transport.js';
export { dialMqtt, type MqttWire, type MqttWireHandlers, type MqttWireOptions } from './mqtt-wire.js';
