import { isAbsolute } from 'node:path';
import { tryParseDuration } from '@vigil/protocol';
import type { ThreatIntelFeedConfig } from '@vigil/storage';
import type { Violation } from '../api/errors.js';

/** Feed names: what a URL path segment and a CLI argument carry without quoting. */
export const FEED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Reload bounds: a minute at the least (publishers rate-limit), a week at the most. */
export const MIN_REFRESH_MS = 60_000;
export const MAX_REFRESH_MS = 7 * 24 * 3600_000;
/** The reload interval of a feed that names none. */
export const DEFAULT_REFRESH = 'PT1H';
const MAX_LOCATION = 2048;
const MAX_COLUMN_NAME = 128;
const MAX_COLUMN_INDEX = 255;
const FIELDS = new Set(['name', 'source', 'format', 'column', 'refreshInterval', 'internal']);

/**
 * Stable codes of the violations a feed definition can have, in `error.details[].code` (API) and in
 * the server configuration's problem list.
 */
export type FeedViolationCode =
  | 'FEED_NOT_AN_OBJECT'
  | 'FEED_UNKNOWN_FIELD'
  | 'FEED_NAME_INVALID'
  | 'FEED_NAME_DUPLICATE'
  | 'FEED_SOURCE_INVALID'
  | 'FEED_FORMAT_INVALID'
  | 'FEED_COLUMN_INVALID'
  | 'FEED_REFRESH_INVALID'
  | 'FEED_INTERNAL_INVALID';

/** A feed definition as the API, the CLI and the configuration file write it. */
export interface FeedInput {
  readonly name: string;
  /** An absolute file path, a `file:` URL, or an `http:`/`https:` URL. */
  readonly source: string;
  readonly format: 'plain' | 'csv';
  /** CSV only: the header name or 0-based index of the address column. */
  readonly column?: string | number;
  /** ISO-8601 duration from PT1M to P7D (PT1H when absent). */
  readonly refreshInterval?: string;
  /** A feed of internal ranges: private and other reserved addresses match instead of being set aside. */
  readonly internal?: boolean;
}

/** Where a definition's problems are reported: `body` for the API, `feeds[2]` for the config file. */
interface Reader {
  readonly at: string;
  readonly violations: Violation[];
}

function add(reader: Reader, field: string, code: FeedViolationCode, message: string): void {
  reader.violations.push({ path: field === '' ? reader.at : `${reader.at}.${field}`, message, code });
}

/** `source` text as the store keeps it: a URL or a file, never a relative path (the server's directory is no one's business). */
function readSource(reader: Reader, value: unknown): ThreatIntelFeedConfig['source'] | undefined {
  const fail = (message: string) => add(reader, 'source', 'FEED_SOURCE_INVALID', message);
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_LOCATION) {
    fail(`must be a file path or an http(s) URL of at most ${MAX_LOCATION} characters`);
    return undefined;
  }
  const text = value.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      fail(`is not a valid URL: ${JSON.stringify(text.slice(0, 100))}`);
      return undefined;
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      if (url.username !== '' || url.password !== '') {
        // Credentials in the URL would be shown by every list and log; feeds are fetched anonymously.
        fail('must not carry a user name or password');
        return undefined;
      }
      return { type: 'url', location: url.href };
    }
    if (url.protocol === 'file:') return { type: 'file', location: url.href };
    fail(`must be an http:, https: or file: URL, not ${url.protocol}`);
    return undefined;
  }
  if (!isAbsolute(text)) {
    fail('must be an absolute file path (or an http(s) URL)');
    return undefined;
  }
  return { type: 'file', location: text };
}

/**
 * Validates one feed definition and lists every problem (each with a {@link FeedViolationCode});
 * returns the definition in the store's shape, or undefined when anything is wrong. `name` is taken
 * from the definition unless `fixedName` gives it (a PUT names the feed in its path).
 */
export function readFeedInput(
  raw: unknown,
  at: string,
  violations: Violation[],
  fixedName?: string,
): ThreatIntelFeedConfig | undefined {
  const reader: Reader = { at, violations };
  const before = violations.length;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    add(reader, '', 'FEED_NOT_AN_OBJECT', 'must be an object with name, source and format');
    return undefined;
  }
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key) || (key === 'name' && fixedName !== undefined && body.name !== fixedName))
      add(
        reader,
        key,
        'FEED_UNKNOWN_FIELD',
        key === 'name'
          ? 'must match the feed named in the path (a feed cannot be renamed: add a new one)'
          : `is not a field of a feed (fields: ${[...FIELDS].join(', ')})`,
      );
  }
  const name = fixedName ?? body.name;
  if (typeof name !== 'string' || !FEED_NAME.test(name))
    add(reader, 'name', 'FEED_NAME_INVALID', 'must be 1–64 letters, digits, dots, dashes or underscores');
  const source = readSource(reader, body.source);
  let format: ThreatIntelFeedConfig['format'] | undefined;
  if (body.format === 'plain') {
    format = { type: 'list' };
    if (body.column !== undefined) add(reader, 'column', 'FEED_COLUMN_INVALID', 'is only for the csv format');
  } else if (body.format === 'csv') {
    const column = body.column;
    if (typeof column === 'string' && column.trim() !== '' && column.length <= MAX_COLUMN_NAME) {
      // A column given as digits is an index: the CLI and the config file cannot tell "2" from 2.
      format = { type: 'csv', column: /^\d+$/.test(column) ? Number(column) : column.trim() };
    } else if (
      typeof column === 'number' &&
      Number.isInteger(column) &&
      column >= 0 &&
      column <= MAX_COLUMN_INDEX
    ) {
      format = { type: 'csv', column };
    } else {
      add(
        reader,
        'column',
        'FEED_COLUMN_INVALID',
        `csv feeds need the address column: a header name (1–${MAX_COLUMN_NAME} characters) or a 0-based index up to ${MAX_COLUMN_INDEX}`,
      );
    }
    if (format?.type === 'csv' && typeof format.column === 'number' && format.column > MAX_COLUMN_INDEX) {
      add(reader, 'column', 'FEED_COLUMN_INVALID', `a column index must be at most ${MAX_COLUMN_INDEX}`);
      format = undefined;
    }
  } else {
    add(reader, 'format', 'FEED_FORMAT_INVALID', 'must be plain (one address or CIDR a line) or csv');
  }
  const refresh = body.refreshInterval ?? DEFAULT_REFRESH;
  const parsed = typeof refresh === 'string' ? tryParseDuration(refresh) : undefined;
  const refreshIntervalMs = parsed?.ok === true ? parsed.ms : undefined;
  if (
    refreshIntervalMs === undefined ||
    refreshIntervalMs < MIN_REFRESH_MS ||
    refreshIntervalMs > MAX_REFRESH_MS
  )
    add(
      reader,
      'refreshInterval',
      'FEED_REFRESH_INVALID',
      'must be an ISO-8601 duration from PT1M to P7D, e.g. PT1H',
    );
  if (body.internal !== undefined && typeof body.internal !== 'boolean')
    add(reader, 'internal', 'FEED_INTERNAL_INVALID', 'must be true or false');
  if (violations.length > before || source === undefined || format === undefined) return undefined;
  return {
    name: name as string,
    source,
    format,
    internal: body.internal === true,
    refreshIntervalMs: refreshIntervalMs!,
  };
}
