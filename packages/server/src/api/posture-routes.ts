import type { FastifyInstance } from 'fastify';
import type { RecommendationSort, SecurityEventSort, Severity, Store } from '@vigil/storage';
import { validationFailed } from './errors.js';
import { QueryReader } from './query.js';

const SEVERITY_WEIGHT: Record<Severity, number> = { high: 10, medium: 4, low: 1 };
const HOUR = 3600_000;
/** The largest page of recommendations or events. */
const MAX_PAGE = 1000;
/** The deepest offset (the storage lists honour up to this many skipped rows). */
export const MAX_LIST_OFFSET = 100_000;
const RECOMMENDATION_SORTS: readonly RecommendationSort[] = ['updated', 'raised', 'severity'];
const EVENT_SORTS: readonly SecurityEventSort[] = ['at', 'received'];

/**
 * Recommendations and a device's events (paged like alerts: `limit`, `offset`, `sort`, and a `total`
 * of every match), and the fleet posture summary the dashboard's overview draws, aggregated over every
 * alert and recommendation: active alerts by severity, alerts per hour over the last day, the devices most at risk and a score.
 */
export function registerPostureRoutes(
  app: FastifyInstance,
  store: Store,
  now: () => number = Date.now,
): void {
  app.get('/api/recommendations', async (request) => {
    const query = new QueryReader(request.query);
    const state = query.text('state', ['raised', 'resolved'] as const);
    const deviceId = query.text('deviceId');
    const sort = query.text('sort', RECOMMENDATION_SORTS) ?? 'updated';
    const limit = query.integer('limit', 1, MAX_PAGE) ?? 100;
    const offset = query.integer('offset', 0, MAX_LIST_OFFSET) ?? 0;
    query.done();
    const filter = {
      ...(state === undefined ? {} : { state }),
      ...(deviceId === undefined ? {} : { deviceId }),
    };
    const [items, total] = await Promise.all([
      store.recommendations.list({ ...filter, sort, limit, offset }),
      store.recommendations.count(filter),
    ]);
    return { items, total, limit, offset };
  });

  app.get('/api/devices/:deviceId/events', async (request) => {
    const { deviceId } = request.params as { deviceId: string };
    const query = new QueryReader(request.query);
    const name = query.text('name');
    const since = query.integer('since', 0, Number.MAX_SAFE_INTEGER);
    const until = query.integer('until', 0, Number.MAX_SAFE_INTEGER);
    const sort = query.text('sort', EVENT_SORTS) ?? 'at';
    const limit = query.integer('limit', 1, MAX_PAGE) ?? 100;
    const offset = query.integer('offset', 0, MAX_LIST_OFFSET) ?? 0;
    query.done();
    if (since !== undefined && until !== undefined && since >= until) {
      throw validationFailed([{ path: 'query.until', message: 'must be after since' }]);
    }
    const filter = {
      deviceId,
      ...(name === undefined ? {} : { name }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
    };
    const [items, total] = await Promise.all([
      store.securityEvents.list({ ...filter, sort, limit, offset }),
      store.securityEvents.count(filter),
    ]);
    return { items, total, limit, offset };
  });

  app.get('/api/posture', async (request) => {
    new QueryReader(request.query).done();
    const at = now();
    const start = Math.floor(at / HOUR) * HOUR - 23 * HOUR;
    // Aggregates over every alert and recommendation: the summary never stops at a page of rows.
    const [active, raised, histogram] = await Promise.all([
      store.alerts.tally({ status: 'active' }),
      store.recommendations.tally({ state: 'raised' }),
      store.alerts.histogram({ from: start, bucketMs: HOUR, buckets: 24 }),
    ]);
    const bySeverity = { high: 0, medium: 0, low: 0 };
    const risk = new Map<string, number>();
    for (const { deviceId, severity, count } of active) {
      bySeverity[severity] += count;
      if (deviceId !== '') risk.set(deviceId, (risk.get(deviceId) ?? 0) + SEVERITY_WEIGHT[severity] * count);
    }
    let raisedRecommendations = 0;
    for (const { deviceId, severity, count } of raised) {
      raisedRecommendations += count;
      if (deviceId === '') continue;
      risk.set(deviceId, (risk.get(deviceId) ?? 0) + (SEVERITY_WEIGHT[severity] / 4) * count);
    }
    const timeline = Array.from({ length: 24 }, (_, i) => ({
      hour: start + i * HOUR,
      high: 0,
      medium: 0,
      low: 0,
    }));
    for (const { bucket, severity, count } of histogram) {
      const slot = timeline[bucket];
      if (slot !== undefined) slot[severity] += count;
    }
    const penalty = [...risk.values()].reduce((total, value) => total + value, 0);
    return {
      // 100 with nothing open, falling quickly with high-severity alerts; never below 0.
      score: Math.max(0, Math.round(100 - Math.min(100, penalty))),
      activeAlerts: bySeverity,
      raisedRecommendations,
      timeline,
      devicesAtRisk: [...risk.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([deviceId, score]) => ({ deviceId, risk: Math.round(score * 10) / 10 })),
    };
  });

  app.get('/api/health', { config: { public: true } }, () => ({ status: 'ok' }));
}
