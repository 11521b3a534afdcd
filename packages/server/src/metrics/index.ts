/** Prometheus metrics of the server: the text format, the collectors, and the `/metrics` route. */
export {
  formatExposition,
  EXPOSITION_CONTENT_TYPE,
  type MetricFamily,
  type MetricSample,
  type MetricType,
} from './exposition.js';
export { createServerMetrics, type MetricsSources, type OperationsSinkStats } from './server-metrics.js';
export { processMetrics } from './process-metrics.js';
export { countConnectedIdentities, MAX_COUNTED_IDENTITIES } from './hub-connections.js';
export { registerMetricsRoute, type MetricsRouteOptions } from './metrics-route.js';
