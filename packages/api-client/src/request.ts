/** Sends one request and parses its JSON answer; a refusal rejects with `VigilApiError`. */
export type Requester = <T>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<T>;

/** Where the hub's service API is mounted on the server. */
export const HUB = '/api/hub';

/** A value of a query parameter; undefined leaves the parameter out. */
export type QueryValue = string | number | undefined;

/** `?a=1&b=2` of the defined values, or '' when there are none. */
export function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The `If-Match` header for an etag, or no header at all. */
export function ifMatchHeader(ifMatch: string | undefined): Record<string, string> {
  return ifMatch === undefined ? {} : { 'if-match': ifMatch };
}
