import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './build-document.js';
import { RouteCollector } from './collect-routes.js';
import { CORE_ROUTE_DOCS } from './core-route-docs.js';
import { HUB_ROUTE_DOCS } from './hub-route-docs.js';
import type { RouteDoc } from './route-doc.js';

/** Where the document is served. */
export const OPENAPI_PATH = '/api/openapi.json';

/** The document's `info` unless the caller gives one. */
export const DEFAULT_OPENAPI_INFO: OpenApiInfo = {
  title: 'Vigil API',
  version: '0.1.0',
  description:
    'Security monitoring for IoT fleets: alerts, recommendations, posture, devices and the hub. Send `Authorization: Bearer <token>`; errors are `{ error: { code, message, details } }`.',
};

/**
 * Starts recording routes and serves their OpenAPI document at {@link OPENAPI_PATH} (public: it
 * describes the API, not the fleet). Call before registering any other route; the document is
 * built on first request, once every route (including those added by `extend`) is known.
 */
export function installOpenApi(
  app: FastifyInstance,
  options: { readonly info?: OpenApiInfo; readonly catalogue?: Readonly<Record<string, RouteDoc>> } = {},
): RouteCollector {
  const collector = new RouteCollector();
  app.addHook('onRoute', collector.onRoute);
  let document: OpenApiDocument | undefined;
  const doc: RouteDoc = {
    summary: 'This OpenAPI 3.1 document',
    tags: ['operations'],
    response: { '200': { description: 'The OpenAPI document', type: 'object' } },
  };
  app.get(OPENAPI_PATH, { config: { public: true, openapi: doc } }, () => {
    document ??= buildOpenApiDocument(collector.routes(), {
      info: options.info ?? DEFAULT_OPENAPI_INFO,
      catalogue: { ...CORE_ROUTE_DOCS, ...HUB_ROUTE_DOCS, ...options.catalogue },
    });
    return document;
  });
  return collector;
}
