/**
 * `@vigil/protocol`: the wire contract Vigil stays compatible with, and nothing else (no I/O).
 *
 * - security messages: JSON schema 1.0 and the RTOS FlatBuffers schema 2.3, decoded into one event model;
 * - the IoT Hub MQTT dialect: topics, property bags, twin and method envelopes;
 * - credentials: connection strings, SAS tokens, X.509 thumbprints;
 * - ISO-8601 durations and the `azureiotsecurity` module twin configuration.
 */
export * from './errors/index.js';
export * from './events/index.js';
export * from './json/index.js';
export * from './flatbuffers/index.js';
export * from './mqtt/index.js';
export * from './credentials/index.js';
export * from './duration/index.js';
export * from './twin-config/index.js';
export * from './decode/index.js';
