import type { FastifyInstance } from 'fastify';
import { EXPOSITION_CONTENT_TYPE, formatExposition, type MetricFamily } from './exposition.js';

/** How `/metrics` is served. */
export interface MetricsRouteOptions {
  readonly collect: () => Promise<readonly MetricFamily[]>;
  /**
   * Scrapable without a token. Off by default: the metrics name devices' activity levels and the
   * fleet's alert counts, so a scraper sends a (viewer) token as `Authorization: Bearer …` unless
   * the operator opts in (e.g. when only a private network reaches the API).
   */
  readonly public?: boolean;
}

/** Registers `GET /metrics` in the Prometheus text format 0.0.4. */
export function registerMetricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  app.get(
    '/metrics',
    {
      config: {
        public: options.public === true,
        openapi: {
          summary: 'Prometheus metrics',
          description:
            'Hub connections, ingest counters and lag, analytics counters, active alerts by severity, dropped operations and process figures, in the Prometheus text exposition format 0.0.4. Needs a token unless the server runs with `metrics: { public: true }`.',
          tags: ['operations'],
          produces: EXPOSITION_CONTENT_TYPE,
          response: { '200': { description: 'The metrics', type: 'string' } },
        },
      },
    },
    async (_request, reply) => {
      const text = formatExposition(await options.collect());
      return reply.type(EXPOSITION_CONTENT_TYPE).header('cache-control', 'no-store').send(text);
    },
  );
}
