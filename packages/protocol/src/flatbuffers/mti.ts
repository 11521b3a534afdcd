/**
 * The `mti` message property: `<major>.<minor>-<encoding>-<source>-<type>`, e.g. `2.3-1-0-0` from the
 * RTOS module (reference/azure-security-module.md §1.8, built in the core's `model/mti.h`). It is the only
 * way to tell a FlatBuffers body from JSON: the schema has no file identifier (§1.7).
 */
import { ProtocolError } from '../errors/index.js';

/** What the RTOS module sends: schema 2.3, FlatBuffers, Azure RTOS, raw events. */
export const RTOS_MTI = '2.3-1-0-0';

/** Schema versions Vigil decodes. 2.0 (NetX Duo 6.1 era, §1.1) is 2.3 without the Process and Log payloads. */
export const SUPPORTED_MTI_SCHEMA_VERSIONS = ['2.0', '2.3'] as const;

/** The encoding digit: 0 = JSON, 1 = FlatBuffers. */
export const MTI_ENCODINGS = ['json', 'flatbuffers'] as const;
/** The source digit: 0 = Azure RTOS, 1 = Linux. */
export const MTI_SOURCES = ['azure-rtos', 'linux'] as const;
/** The type digit: 0 = raw events (the only one published). */
export const MTI_MESSAGE_TYPES = ['raw-events'] as const;

/** The body encoding an `mti` names. */
export type MtiEncoding = (typeof MTI_ENCODINGS)[number];
/** The kind of device an `mti` names. */
export type MtiSource = (typeof MTI_SOURCES)[number];
/** The message type an `mti` names. */
export type MtiMessageType = (typeof MTI_MESSAGE_TYPES)[number];

/** The parts of an `mti` value, what {@link formatMti} takes. */
export interface MtiParts {
  /** Schema major version (`2`). */
  readonly major: number;
  /** Schema minor version (`3`). */
  readonly minor: number;
  readonly encoding: MtiEncoding;
  readonly source: MtiSource;
  readonly messageType: MtiMessageType;
}

/** A parsed `mti` value. */
export interface ParsedMti extends MtiParts {
  /** `major.minor`, e.g. `2.3`. */
  readonly schemaVersion: string;
}

const NUMBER = '(0|[1-9]\\d{0,2})';
const MTI = new RegExp(`^${NUMBER}\\.${NUMBER}-${NUMBER}-${NUMBER}-${NUMBER}$`);

function named<T>(names: readonly T[], digit: number, what: string, value: string): T {
  const name = names[digit];
  if (name === undefined) {
    throw new ProtocolError('UNSUPPORTED_SCHEMA', `mti "${value}": unknown ${what} ${digit}`);
  }
  return name;
}

/**
 * Parses an `mti` value. Not `<major>.<minor>-<encoding>-<source>-<type>` with decimal numbers →
 * MALFORMED_MTI; a schema version, encoding, source or type Vigil does not know → UNSUPPORTED_SCHEMA.
 */
export function parseMti(value: string): ParsedMti {
  const match = value.length <= 32 ? MTI.exec(value) : null;
  if (!match) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new ProtocolError(
      'MALFORMED_MTI',
      `mti "${shown}" is not <major>.<minor>-<encoding>-<source>-<type> (e.g. ${RTOS_MTI})`,
    );
  }
  const [major, minor, encoding, source, type] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const schemaVersion = `${major}.${minor}`;
  if (!(SUPPORTED_MTI_SCHEMA_VERSIONS as readonly string[]).includes(schemaVersion)) {
    throw new ProtocolError(
      'UNSUPPORTED_SCHEMA',
      `mti "${value}": schema ${schemaVersion} is not one of ${SUPPORTED_MTI_SCHEMA_VERSIONS.join(', ')}`,
    );
  }
  return {
    schemaVersion,
    major,
    minor,
    encoding: named(MTI_ENCODINGS, encoding, 'encoding', value),
    source: named(MTI_SOURCES, source, 'source', value),
    messageType: named(MTI_MESSAGE_TYPES, type, 'message type', value),
  };
}

function digit(names: readonly string[], name: string, what: string): number {
  const index = names.indexOf(name);
  if (index < 0) throw new ProtocolError('UNSUPPORTED_SCHEMA', `mti: unknown ${what} "${name}"`);
  return index;
}

/** Renders the parts as an `mti` value (`formatMti(parseMti(v)) === v`). */
export function formatMti(parts: MtiParts): string {
  for (const n of [parts.major, parts.minor]) {
    if (!Number.isInteger(n) || n < 0 || n > 999) {
      throw new ProtocolError('MALFORMED_MTI', `mti: schema version part ${n} is not a number 0…999`);
    }
  }
  return [
    `${parts.major}.${parts.minor}`,
    digit(MTI_ENCODINGS, parts.encoding, 'encoding'),
    digit(MTI_SOURCES, parts.source, 'source'),
    digit(MTI_MESSAGE_TYPES, parts.messageType, 'message type'),
  ].join('-');
}
