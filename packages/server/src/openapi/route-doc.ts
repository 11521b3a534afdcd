/** A JSON Schema (2020-12, the dialect OpenAPI 3.1 uses), kept as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * What a route says about itself, in the shape Fastify routes already use for `schema` (the same
 * keys `@fastify/swagger` reads): `querystring`/`params` are object schemas whose properties become
 * parameters, `body` the JSON request body, `response` the answers by status code.
 *
 * A route documents itself with `schema` (validated by Fastify) or, when it validates by hand, with
 * `config: { openapi: RouteDoc }` (documentation only, never validated).
 */
export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly querystring?: JsonSchema;
  readonly params?: JsonSchema;
  /** Request headers (`If-Match`…), as an object schema like `querystring`. */
  readonly headers?: JsonSchema;
  readonly body?: JsonSchema;
  /** By status code (`'200'`, `'204'`…); `description` inside each schema names the answer. */
  readonly response?: Readonly<Record<string, JsonSchema>>;
  /** The media type of the 2xx answers (default `application/json`). */
  readonly produces?: string;
  /**
   * The role the route needs when its handler enforces more than the method suggests (a read that
   * discloses a secret says `admin`); the document states it as `x-vigil-role`.
   */
  readonly role?: 'viewer' | 'admin';
  /** A valid request body, shown in the document and sent by the API's table-driven tests. */
  readonly example?: unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's OpenAPI description when it does not carry a Fastify `schema`. */
    openapi?: RouteDoc;
  }
}
