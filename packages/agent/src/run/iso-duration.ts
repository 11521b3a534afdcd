/**
 * ISO-8601 durations as the `azureiotsecurity` twin writes them (reference/azure-security-module.md
 * §2.5): `P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]`, at least one component. Months count 30 days and
 * years 365, like the C agent's parser. An interim reader for the agent's twin codec until the
 * protocol package's `duration` folder provides one.
 */

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const DAY = 86_400_000;

/** Milliseconds of `text`, or undefined when it is not such a duration. */
export function parseIsoDuration(text: string): number | undefined {
  const match = PATTERN.exec(text);
  if (match === null || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const ms =
    (y ?? 0) * 365 * DAY +
    (mo ?? 0) * 30 * DAY +
    (w ?? 0) * 7 * DAY +
    (d ?? 0) * DAY +
    (h ?? 0) * 3_600_000 +
    (mi ?? 0) * 60_000 +
    (s ?? 0) * 1000;
  return Number.isSafeInteger(Math.round(ms)) ? Math.round(ms) : undefined;
}

/** `PT7M`, `PT5H`, `P1DT2H`, `PT0S`: the shortest form of a whole number of milliseconds. */
export function formatIsoDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days > 0 ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}
