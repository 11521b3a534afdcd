/**
 * What {@link validateSecurityMessage} reports, the leniency codes it may warn with, and the limits
 * that keep hostile input cheap to reject.
 */

/** A schema violation, located by a JSON Pointer (RFC 6901) into the message: `/Events/3/Payload/0/RemotePort`. */
export interface SecurityMessageError {
  readonly path: string;
  readonly message: string;
}

/**
 * Something accepted although the published schema forbids it, because real agents send it
 * (reference/azure-security-module.md §2.1, §2.3). With `strict: true` each becomes an error.
 */
export interface SecurityMessageWarning {
  readonly path: string;
  readonly code: JsonLeniencyCode;
  readonly message: string;
}

/** The outcome of validating one message: every error and every warning, never just the first. */
export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: SecurityMessageError[];
  readonly warnings: SecurityMessageWarning[];
}

/** Options of {@link validateSecurityMessage}. */
export interface ValidateSecurityMessageOptions {
  /** Reject what the published schema rejects, including what real agents send (default false). */
  readonly strict?: boolean;
}

/** The deviations from the published schema Vigil tolerates, by stable code (for counting). */
export const JSON_LENIENCY_CODES = [
  /** `Category: "Aggregated"` on ProcessCreate, ConnectionCreate or ProcessTerminate (§2.1, §2.3). */
  'CATEGORY_AGGREGATED',
  /** A timestamp without zone (`2019-01-27T15:48:52`, the C# agent's .NET "s" format, §2.1); read as UTC. */
  'TIMESTAMP_NO_ZONE',
  /** A number or boolean in `ExtraDetails` (the C agent writes `HitCount` as a number, §2.3). */
  'EXTRA_DETAILS_NOT_STRING',
  /**
   * A protocol spelt other than upper case, or with an IPv6 suffix (`tcp`, `Tcp`, `tcp6`; the C agent
   * sends lower case, §2.1), read as its canonical form (`TCP`, IPv6). The schema types Protocol as
   * any string, so under `strict` this is neither an error nor a warning.
   */
  'PROTOCOL_NAME_NORMALISED',
] as const;

/** One of {@link JSON_LENIENCY_CODES}. */
export type JsonLeniencyCode = (typeof JSON_LENIENCY_CODES)[number];

/**
 * Bounds on the work one message can cause. They sit far above what an agent sends within the
 * 256 KiB IoT Hub message limit (reference §2.7), so only hostile or broken input meets them.
 * Nesting needs no bound: the validator never descends below the schema's fixed depth.
 */
export const JSON_MESSAGE_LIMITS = Object.freeze({
  /** Events in one message. */
  maxEvents: 10_000,
  /** Payload items summed over all events of one message. */
  maxPayloadItems: 100_000,
  /** Keys in one `ExtraDetails` object. */
  maxExtraDetails: 1_000,
  /** Errors reported; one more entry says the list was cut. */
  maxErrors: 500,
  /** Bytes of a message body accepted by {@link parseJsonSecurityMessage} (IoT Hub's limit). */
  maxBytes: 262_144,
});
