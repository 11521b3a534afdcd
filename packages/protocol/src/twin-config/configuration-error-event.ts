/**
 * The `ConfigurationError` operational event an agent sends when its twin configuration has problems
 * (reference/azure-security-module.md §2.2, §2.5; SCHEMAS `messageOperationalEventConfigurationError_v1_0.json`).
 */
import { ProtocolError } from '../errors/index.js';
import type { ConfigurationErrorEntry } from '../events/index.js';
import type { WireConfigurationErrorPayload, WireEventOf } from '../json/index.js';

/** Identity and time of the event; the protocol package makes neither up. */
export interface ConfigurationErrorEventOptions {
  /** The event id, a 36-character GUID. */
  readonly id: string;
  /** When the errors were found, epoch milliseconds. */
  readonly timeMs: number;
  /** The device's UTC offset for `TimestampLocal`, minutes east of UTC; 0 unless given. */
  readonly utcOffsetMinutes?: number;
}

/** The JSON 1.0 payload items for `entries`, one per entry. */
export function toConfigurationErrorPayloads(
  entries: readonly ConfigurationErrorEntry[],
): WireConfigurationErrorPayload[] {
  return entries.map((e) => ({
    ConfigurationName: e.configurationName,
    ErrorType: e.errorType,
    UsedConfiguration: e.usedConfiguration,
    Message: e.message,
    ...(e.extraDetails === undefined ? {} : { ExtraDetails: e.extraDetails }),
  }));
}

function localTimestamp(timeMs: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(timeMs).toISOString();
  const shifted = new Date(timeMs + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${shifted}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

/**
 * A complete `ConfigurationError` event (Operational, Triggered) carrying `entries`, ready to put in a
 * security message; null when there is nothing to report, since a Triggered event needs a payload.
 * @throws ProtocolError `INVALID_SECURITY_MESSAGE` when the id or time cannot make a valid event.
 */
export function createConfigurationErrorEvent(
  entries: readonly ConfigurationErrorEntry[],
  options: ConfigurationErrorEventOptions,
): WireEventOf<'ConfigurationError'> | null {
  if (entries.length === 0) return null;
  const offset = options.utcOffsetMinutes ?? 0;
  const time = new Date(options.timeMs);
  if (
    options.id.length !== 36 ||
    Number.isNaN(time.getTime()) ||
    !Number.isInteger(offset) ||
    Math.abs(offset) >= 24 * 60
  ) {
    throw new ProtocolError(
      'INVALID_SECURITY_MESSAGE',
      'a ConfigurationError event needs a 36-character id, a valid time and a UTC offset under 24 hours',
    );
  }
  return {
    Id: options.id,
    TimestampLocal: localTimestamp(options.timeMs, offset),
    TimestampUTC: time.toISOString(),
    Category: 'Triggered',
    Name: 'ConfigurationError',
    EventType: 'Operational',
    IsEmpty: false,
    PayloadSchemaVersion: '1.0',
    Payload: toConfigurationErrorPayloads(entries),
  };
}
