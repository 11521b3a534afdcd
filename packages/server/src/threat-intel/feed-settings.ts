import type { ThreatIntelFeedConfig } from '@vigil/storage';
import type { Violation } from '../api/errors.js';
import { readFeedInput } from './feed-input.js';

/** Most feeds one configuration file may declare (each is held in memory and reloaded on a schedule). */
export const MAX_CONFIGURED_FEEDS = 100;

/** The `threatIntel` section of the server configuration file. */
export interface ThreatIntelSettings {
  /** Feeds declared here are written to the store at every start and are read-only through the API. */
  readonly feeds: readonly ThreatIntelFeedConfig[];
}

/**
 * Validates the `threatIntel` section (`{ "feeds": [ { "name", "source", "format", … } ] }`, each feed
 * as the API's `POST /api/threat-intel/feeds` takes it), pushing every problem onto `violations`
 * with `origin` in its path. Returns the section, or undefined when anything is wrong.
 */
export function readThreatIntelSettings(
  raw: unknown,
  origin: string,
  violations: Violation[],
): ThreatIntelSettings | undefined {
  const at = `${origin}: threatIntel`;
  const before = violations.length;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    violations.push({ path: at, message: 'must be an object like { "feeds": [ … ] }' });
    return undefined;
  }
  const { feeds, ...rest } = raw as Record<string, unknown>;
  for (const key of Object.keys(rest))
    violations.push({ path: `${at}.${key}`, message: 'is not a threat-intel setting (known: feeds)' });
  if (!Array.isArray(feeds) || feeds.length > MAX_CONFIGURED_FEEDS) {
    violations.push({
      path: `${at}.feeds`,
      message: `must be a list of at most ${MAX_CONFIGURED_FEEDS} feeds`,
    });
    return undefined;
  }
  const accepted: ThreatIntelFeedConfig[] = [];
  const seen = new Set<string>();
  feeds.forEach((entry: unknown, index) => {
    const feed = readFeedInput(entry, `${at}.feeds[${index}]`, violations);
    if (feed === undefined) return;
    if (seen.has(feed.name)) {
      violations.push({
        path: `${at}.feeds[${index}].name`,
        message: `${feed.name} is declared twice`,
        code: 'FEED_NAME_DUPLICATE',
      });
      return;
    }
    seen.add(feed.name);
    accepted.push(feed);
  });
  return violations.length > before ? undefined : { feeds: accepted };
}
