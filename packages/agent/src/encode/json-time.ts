/**
 * Timestamps of JSON 1.0 events (reference/azure-security-module.md §2.1): `TimestampUTC` ends in
 * `Z`, `TimestampLocal` carries the device's offset. Both are RFC 3339 date-times, which the
 * published schema's `date-time` format (and strict validation) requires; the legacy C agent's
 * local-time-with-`Z` quirk is deliberately not copied.
 */

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2026-11-23T00:37:05.123Z`. */
export function formatUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * Local wall time with its offset, `2026-11-23T01:37:05.123+01:00`. `offsetMinutes` is minutes east
 * of UTC (default: this machine's zone at that moment).
 */
export function formatLocal(epochMs: number, offsetMinutes?: number): string {
  const offset = offsetMinutes ?? -new Date(epochMs).getTimezoneOffset();
  const local = new Date(epochMs + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
