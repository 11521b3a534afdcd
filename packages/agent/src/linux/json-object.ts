/**
 * The object test the JSON readers share (Docker's inspect documents, the IoT Edge deployment
 * manifest): what they are handed is parsed JSON of unknown shape, checked field by field.
 */

/** A parsed JSON object, its fields still unchecked. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object: not `null`, not an array. */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
