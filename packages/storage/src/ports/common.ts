/** Epoch milliseconds; every time in storage is one of these. */
export type Millis = number;

/** Optimistic concurrency: the write applies only while the stored etag is still this one. */
export interface IfMatch {
  /** The etag the caller last read; omitted or `*` means "whatever is stored". */
  readonly ifMatch?: string;
}

/** Paging for lists: at most `limit` rows (1…1000, 100 by default). */
export interface Page {
  readonly limit?: number;
}

/** A JSON object as twins, settings and findings carry them. */
export type JsonObject = { [key: string]: JsonValue };
/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Identifies a device (moduleId null) or a module of a device. */
export interface IdentityKey {
  readonly deviceId: string;
  readonly moduleId: string | null;
}
