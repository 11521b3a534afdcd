/**
 * The shapes of the server's threat-intel feed routes (`/api/threat-intel/feeds`), written out here
 * so the client needs nothing from the server package (the dashboard bundles this).
 */

/** Why entries were set aside (reserved ranges, or broader than /8 and /16). */
export type FeedSetAsideReason =
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'cgnat'
  | 'documentation'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'too-broad';

/** A feed definition as the API takes it (`POST`, and `PUT` without `name`). */
export interface FeedInput {
  readonly name: string;
  /** An absolute file path on the server, a `file:` URL, or an `http(s)` URL. */
  readonly source: string;
  readonly format: 'plain' | 'csv';
  /** CSV only: header name or 0-based index of the address column. */
  readonly column?: string | number;
  /** ISO-8601 duration from PT1M to P7D (default PT1H). */
  readonly refreshInterval?: string;
  /** A feed of internal ranges: reserved addresses match instead of being set aside. */
  readonly internal?: boolean;
}

/** A feed's load status. */
export interface FeedStatus {
  readonly state: 'pending' | 'loaded' | 'failed';
  readonly lastLoadAt: string | null;
  /** Entries the matcher uses now (a failed reload keeps the previous ones). */
  readonly entries: number | null;
  readonly setAside: number | null;
  readonly setAsideByReason: Readonly<Partial<Record<FeedSetAsideReason, number>>>;
  readonly invalidLines: number | null;
  readonly invalidExamples: readonly { readonly line: number; readonly reason: string }[];
  readonly lastError: string | null;
  readonly keptLastGood: boolean;
}

/** A feed as the API answers it. */
export interface FeedView {
  readonly name: string;
  readonly source: { readonly type: 'file' | 'url'; readonly location: string };
  readonly format: 'plain' | 'csv';
  readonly column: string | number | null;
  readonly refreshInterval: string;
  readonly refreshIntervalMs: number;
  readonly internal: boolean;
  /** `config`: declared in the server configuration file, read-only through the API. */
  readonly origin: 'api' | 'config';
  readonly etag: string;
  readonly updatedAt: string;
  readonly status: FeedStatus;
}
