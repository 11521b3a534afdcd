/**
 * The API's OpenAPI 3.1 document, generated from what each route registers (its Fastify `schema`,
 * its `config.openapi`, or the server's catalogue for hand-validated routes).
 */
export { installOpenApi, OPENAPI_PATH, DEFAULT_OPENAPI_INFO } from './openapi-route.js';
export {
  buildOpenApiDocument,
  routeDoc,
  toOpenApiPath,
  type OpenApiDocument,
  type OpenApiInfo,
} from './build-document.js';
export { checkOpenApiDocument } from './check-document.js';
export { RouteCollector, type CollectedRoute } from './collect-routes.js';
export { CORE_ROUTE_DOCS } from './core-route-docs.js';
export { HUB_ROUTE_DOCS } from './hub-route-docs.js';
export { COMPONENT_SCHEMAS } from './schemas.js';
export type { JsonSchema, RouteDoc } from './route-doc.js';
