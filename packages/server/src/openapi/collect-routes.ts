import type { RouteOptions } from 'fastify';
import type { JsonSchema, RouteDoc } from './route-doc.js';

/** A route as registered, with whatever documentation it carries. */
export interface CollectedRoute {
  readonly method: string;
  /** The path as Fastify registered it (`/api/alerts/:id`). */
  readonly url: string;
  /** Reachable without a token (`config.public`). */
  readonly public: boolean;
  /** The route's Fastify `schema` (documentation keys and validation schemas), when it has one. */
  readonly schema: JsonSchema | undefined;
  /** The route's `config.openapi`, when it has one. */
  readonly openapi: RouteDoc | undefined;
  /** The route's `config.role` (the auth hook enforces it), when it sets one. */
  readonly role: 'viewer' | 'admin' | undefined;
}

/** Records every route through Fastify's `onRoute` hook, so the document follows the code. */
export class RouteCollector {
  readonly #routes: CollectedRoute[] = [];

  /** The `onRoute` hook; install it before any route is registered. */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = (route.config ?? {}) as { public?: unknown; openapi?: RouteDoc; role?: unknown };
    for (const method of methods) {
      // Fastify adds a HEAD twin to every GET; it answers the same and is not described separately.
      if (method === 'HEAD') continue;
      this.#routes.push({
        method,
        url: route.url,
        public: config.public === true,
        schema: route.schema as JsonSchema | undefined,
        openapi: config.openapi,
        role: config.role === 'admin' || config.role === 'viewer' ? config.role : undefined,
      });
    }
  };

  /** Every route seen so far, in registration order. */
  routes(): readonly CollectedRoute[] {
    return this.#routes;
  }
}
