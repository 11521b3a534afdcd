import type { CollectedRoute } from './collect-routes.js';
import type { JsonSchema, RouteDoc } from './route-doc.js';
import { COMPONENT_SCHEMAS } from './schemas.js';

/** What the document says about the API as a whole. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** The OpenAPI 3.1 document, as plain JSON data. */
export type OpenApiDocument = {
  readonly openapi: string;
  readonly info: OpenApiInfo;
  readonly paths: Readonly<Record<string, Readonly<Record<string, JsonSchema>>>>;
  readonly components: JsonSchema;
  readonly security: readonly JsonSchema[];
  readonly tags: readonly JsonSchema[];
};

const DOC_KEYS = [
  'summary',
  'description',
  'tags',
  'querystring',
  'params',
  'headers',
  'body',
  'response',
  'produces',
  'role',
  'example',
];
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const errorAnswer = (description: string): JsonSchema => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** `/api/alerts/:id` → `/api/alerts/{id}` (a `:name(regex)` loses its regex). */
export function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');
}

/** The documentation of a route: a catalogue entry, overridden by `config.openapi`, then by `schema`. */
export function routeDoc(
  route: CollectedRoute,
  catalogue: Readonly<Record<string, RouteDoc>>,
): RouteDoc | undefined {
  const fromSchema =
    route.schema === undefined
      ? {}
      : Object.fromEntries(Object.entries(route.schema).filter(([key]) => DOC_KEYS.includes(key)));
  const merged = { ...catalogue[`${route.method} ${route.url}`], ...route.openapi, ...fromSchema };
  return typeof merged.summary === 'string' && merged.summary !== '' ? (merged as RouteDoc) : undefined;
}

function parametersOf(where: 'query' | 'path' | 'header', schema: JsonSchema | undefined): JsonSchema[] {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment.startsWith('{') ? `by-${segment.slice(1, -1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter((word) => word !== '');
  return [method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join('');
}

/**
 * Who may call a route, as the document's `x-vigil-role` states it: `public` (no token), `viewer`
 * (any token) or `admin`. Writes need an admin unless a route says otherwise; so do reads a route or
 * its description marks `admin`.
 */
export function roleOf(route: CollectedRoute, doc: RouteDoc | undefined): 'public' | 'viewer' | 'admin' {
  if (route.public) return 'public';
  return route.role ?? doc?.role ?? (WRITES.has(route.method) ? 'admin' : 'viewer');
}

function operation(route: CollectedRoute, doc: RouteDoc | undefined, path: string): JsonSchema {
  const pathNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const documentedPath = parametersOf('path', doc?.params);
  const parameters = [
    // Every templated segment must be described (OpenAPI 3.1 §4.8.12); undocumented ones as text.
    ...pathNames.map(
      (name) =>
        documentedPath.find((parameter) => parameter.name === name) ?? {
          name,
          in: 'path',
          required: true,
          schema: { type: 'string' },
        },
    ),
    ...parametersOf('query', doc?.querystring),
    ...parametersOf('header', doc?.headers),
  ];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(doc?.response ?? { '200': { description: 'OK' } })) {
    const { description, ...body } = schema;
    const text = typeof description === 'string' ? description : 'OK';
    responses[status] =
      status === '204' || Object.keys(body).length === 0
        ? { description: text }
        : { description: text, content: { [doc?.produces ?? 'application/json']: { schema: body } } };
  }
  const role = roleOf(route, doc);
  responses['400'] ??= errorAnswer('VALIDATION_FAILED: every violation of the request is listed');
  if (role !== 'public') responses['401'] ??= errorAnswer('UNAUTHENTICATED: no valid token');
  if (role === 'admin')
    responses['403'] ??= errorAnswer(
      WRITES.has(route.method)
        ? 'FORBIDDEN: a viewer token cannot change anything'
        : 'FORBIDDEN: a viewer token cannot read this',
    );
  if (pathNames.length > 0) responses['404'] ??= errorAnswer('NOT_FOUND');
  responses.default = errorAnswer('Any other error, with its stable code');
  return {
    operationId: operationId(route.method, path),
    summary: doc?.summary ?? `${route.method} ${path}`,
    ...(doc?.description === undefined ? {} : { description: doc.description }),
    ...(doc?.tags === undefined ? {} : { tags: doc.tags }),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(doc?.body === undefined
      ? {}
      : {
          requestBody: {
            required: false,
            content: {
              'application/json': {
                schema: doc.body,
                ...(doc.example === undefined ? {} : { example: doc.example }),
              },
            },
          },
        }),
    responses,
    'x-vigil-role': role,
    ...(route.public ? { security: [] } : {}),
    // Marks a route that carries no description yet, so the gap is visible and tests can refuse it.
    ...(doc === undefined ? { 'x-undocumented': true } : {}),
  };
}

/**
 * Builds the OpenAPI 3.1 document of the routes Fastify registered (catch-all routes such as the
 * dashboard's `/*` are not API and are left out). Every path parameter is described, every
 * operation names its errors, and public routes opt out of the bearer requirement.
 */
export function buildOpenApiDocument(
  routes: readonly CollectedRoute[],
  options: { readonly info: OpenApiInfo; readonly catalogue?: Readonly<Record<string, RouteDoc>> },
): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    if (route.url.includes('*')) continue;
    const doc = routeDoc(route, options.catalogue ?? {});
    const path = toOpenApiPath(route.url);
    for (const tag of doc?.tags ?? []) tags.add(tag);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, doc, path);
  }
  return {
    openapi: '3.1.0',
    info: options.info,
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (`vgl_…`): viewers read, admins also change things.',
        },
      },
    },
    security: [{ bearer: [] }],
    tags: [...tags].sort().map((name) => ({ name })),
  };
}
