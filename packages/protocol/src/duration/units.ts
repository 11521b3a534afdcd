/**
 * Lengths of the ISO-8601 duration designators the security module twin accepts, and the bounds
 * Vigil puts on a duration (reference/azure-security-module.md §2.5).
 */

/** One second in milliseconds. */
export const SECOND_MS = 1_000;
/** One minute in milliseconds. */
export const MINUTE_MS = 60 * SECOND_MS;
/** One hour in milliseconds. */
export const HOUR_MS = 60 * MINUTE_MS;
/** One day in milliseconds: durations are exact, no calendar or daylight-saving arithmetic. */
export const DAY_MS = 24 * HOUR_MS;
/** One week (`W`): seven days. */
export const WEEK_MS = 7 * DAY_MS;
/** One month (`M` before `T`): 30 days, as both legacy agents count it (§2.5). */
export const MONTH_MS = 30 * DAY_MS;
/**
 * One year (`Y`): 365 days, as the C# agent's `XmlConvert.ToTimeSpan` counts it. The C agent ignores
 * years altogether (§2.5: "years ignored(!)"), which we treat as its bug, not the contract.
 */
export const YEAR_MS = 365 * DAY_MS;

/**
 * The longest duration Vigil accepts: 100 years of 365 days (`P100Y`, `P36500D`). Far beyond any useful
 * interval, and small enough that every sum of components stays an exact integer in a double.
 */
export const MAX_DURATION_MS = 100 * YEAR_MS;

/** A designator and the milliseconds one unit of it stands for. */
export interface DurationUnit {
  readonly designator: string;
  readonly ms: number;
}

/** Date-part designators in the only order the schema pattern allows. */
export const DATE_UNITS: readonly DurationUnit[] = [
  { designator: 'Y', ms: YEAR_MS },
  { designator: 'M', ms: MONTH_MS },
  { designator: 'W', ms: WEEK_MS },
  { designator: 'D', ms: DAY_MS },
];

/** Time-part designators (after `T`) in order. */
export const TIME_UNITS: readonly DurationUnit[] = [
  { designator: 'H', ms: HOUR_MS },
  { designator: 'M', ms: MINUTE_MS },
  { designator: 'S', ms: SECOND_MS },
];
