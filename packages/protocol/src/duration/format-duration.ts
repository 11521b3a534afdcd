import { ProtocolError } from '../errors/index.js';
import { DAY_MS, HOUR_MS, MAX_DURATION_MS, MINUTE_MS, SECOND_MS } from './units.js';

/**
 * Renders milliseconds as the canonical ISO-8601 duration: `PnDTnHnMn[.fff]S` with zero components
 * left out (`PT7M`, `P1DT12H`, `PT1.5S`, and `PT0S` for zero), so {@link parseDuration} gives back the
 * same number.
 *
 * Only days, hours, minutes and seconds are used, like the C# agent's `XmlConvert.ToString(TimeSpan)`
 * reports them (reference/azure-security-module.md §2.5): `Y` would read as zero on the C agent, which
 * ignores years, and `W` is not in the XML Schema duration the C# agent parses.
 * @throws ProtocolError `MALFORMED_DURATION` for a negative, fractional or non-finite number, or one
 * above {@link MAX_DURATION_MS}.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_DURATION_MS) {
    throw new ProtocolError(
      'MALFORMED_DURATION',
      `${String(ms)} ms cannot be written as a duration: expected a whole number from 0 to ${MAX_DURATION_MS}`,
    );
  }
  if (ms === 0) return 'PT0S';
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  const seconds = Math.floor((ms % MINUTE_MS) / SECOND_MS);
  const millis = ms % SECOND_MS;
  let text = days > 0 ? `P${days}D` : 'P';
  if (hours + minutes + seconds + millis === 0) return text;
  text += 'T';
  if (hours > 0) text += `${hours}H`;
  if (minutes > 0) text += `${minutes}M`;
  if (seconds + millis > 0) {
    const fraction = millis > 0 ? `.${String(millis).padStart(3, '0').replace(/0+$/, '')}` : '';
    text += `${seconds}${fraction}S`;
  }
  return text;
}
