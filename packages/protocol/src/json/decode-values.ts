/**
 * Small value conversions shared by the JSON 1.0 payload decoders: ExtraDetails, protocol names,
 * aggregation facts, and dropping absent optional fields.
 */
import type { AggregationInfo, ExtraDetails, TransportProtocol } from '../events/index.js';
import { timestampToEpochMs } from './formats.js';

/** Copies an object without its undefined fields, so decoded events carry only what was sent. */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const field = value[key];
    if (field !== undefined) out[key] = field;
  }
  return out as T;
}

/**
 * ExtraDetails as a string map. Numbers and booleans (tolerated, reference §2.3) become text; a
 * `__proto__` key stays an ordinary key instead of replacing the prototype. Empty maps are dropped.
 */
export function extraDetails(value: unknown): ExtraDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, string> = {};
  let empty = true;
  for (const [key, detail] of Object.entries(value)) {
    empty = false;
    const text = typeof detail === 'string' ? detail : String(detail);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: text, enumerable: true, writable: true, configurable: true });
    else out[key] = text;
  }
  return empty ? undefined : out;
}

const VERSIONED_PROTOCOLS = /^(tcp|udp|udplite|raw|icmp|sctp)v?6$/;

/**
 * Lower-cases a protocol name and moves an IPv6 suffix to `ipVersion` (`tcp6` → `tcp`, 6): agents
 * send `TCP`, `tcp` and `tcp6` for the same thing (reference §2.1).
 */
export function normaliseProtocol(text: string): { protocol: TransportProtocol; ipVersion?: 6 } {
  const lower = text.toLowerCase();
  const versioned = VERSIONED_PROTOCOLS.exec(lower);
  return versioned ? { protocol: versioned[1]!, ipVersion: 6 } : { protocol: lower };
}

/** 6 when the address is IPv6 text, 4 when IPv4, undefined when absent. */
export function addressVersion(address: string | undefined): 4 | 6 | undefined {
  if (address === undefined || address === '') return undefined;
  return address.includes(':') ? 6 : 4;
}

/** A port as sent, or undefined for the empty text aggregated events leave in cleared ports (§2.3). */
export function port(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

const INVARIANT_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$/;

/**
 * Reads an aggregation window time: RFC 3339 (C agent `%FT%TZ`) or .NET invariant culture
 * `MM/dd/yyyy HH:mm:ss` (C# agent, reference §2.3), both as UTC. Null when unreadable.
 */
function aggregationTime(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const rfc = timestampToEpochMs(text);
  if (rfc !== null) return rfc;
  const m = INVARIANT_TIME.exec(text);
  if (!m) return null;
  const [month, day, year, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** `HitCount` of an aggregated item (text or, from the C agent, a number); 1 when absent or unreadable. */
export function hitCount(details: ExtraDetails | undefined): number {
  const text = details?.HitCount;
  if (text === undefined || !/^\d{1,15}$/.test(text)) return 1;
  return Math.max(1, Number(text));
}

/** Aggregation facts of an `Aggregated` event, read from its first payload item's ExtraDetails (§2.3). */
export function aggregationInfo(details: ExtraDetails | undefined): AggregationInfo {
  return {
    hitCount: hitCount(details),
    startTimeUtc: aggregationTime(details?.StartTimeUtc),
    endTimeUtc: aggregationTime(details?.EndTimeUtc),
  };
}
