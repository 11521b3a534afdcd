/**
 * ISO-8601 durations as the `azureiotsecurity` module twin writes them
 * (reference/azure-security-module.md §2.5): parse to milliseconds, format canonically, validate.
 */
export {
  isDuration,
  parseDuration,
  tryParseDuration,
  type DurationParseResult,
  type DurationRejection,
} from './parse-duration.js';
export { formatDuration } from './format-duration.js';
export {
  DAY_MS,
  HOUR_MS,
  MAX_DURATION_MS,
  MINUTE_MS,
  MONTH_MS,
  SECOND_MS,
  WEEK_MS,
  YEAR_MS,
} from './units.js';
