/** The operations log writer: hub operations into the ingest log and the operations repository. */
export { createOperationsSink, HUB_SCOPE_DEVICE_ID, type IngestOperationsSink } from './operations-sink.js';
