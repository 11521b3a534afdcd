import type { FastifyInstance } from 'fastify';
import type { Severity, Store } from '@vigil/storage';
import { validationFailed } from './errors.js';
import { QueryReader } from './query.js';

const SEVERITY_WEIGHT: Record<Severity, number> = { high: 10, medium: 4, low: 1 };
const HOUR = 3600_000;

/**
 * Recommendations, a device's events, and the fleet posture summary the dashboard's overview draws:
 * active alerts by severity, alerts per hour over the last day, the devices most at risk and a score.
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
    const limit = query.integer('limit', 1, 1000) ?? 100;
    query.done();
    const items = await store.recommendations.list({
      limit,
      ...(state === undefined ? {} : { state }),
      ...(deviceId === undefined ? {} : { deviceId }),
    });
    return { items };
  });

  app.get('/api/devices/:deviceId/events', async (request) => {
    const { deviceId } = request.params as { deviceId: string };
    const query = new QueryReader(request.query);
    const name = query.text('name');
    const since = query.integer('since', 0, Number.MAX_SAFE_INTEGER);
    const until = query.integer('until', 0, Number.MAX_SAFE_INTEGER);
    const limit = query.integer('limit', 1, 1000) ?? 100;
    query.done();
    if (since !== undefined && until !== undefined && since >= until) {
      throw validationFailed([{ path: 'query.until', message: 'must be after since' }]);
    }
    const items = await store.securityEvents.list({
      deviceId,
      limit,
      ...(name === undefined ? {} : { name }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
    });
    return { items };
  });

  app.get('/api/posture', async (request) => {
    new QueryReader(request.query).done();
    const at = now();
    const [active, recent, raised] = await Promise.all([
      store.alerts.list({ status: 'active', limit: 1000 }),
      store.alerts.list({ since: at - 24 * HOUR, sort: 'firstSeen', limit: 1000 }),
      store.recommendations.list({ state: 'raised', limit: 1000 }),
    ]);
    const bySeverity = { high: 0, medium: 0, low: 0 };
    const risk = new Map<string, number>();
    for (const alert of active) {
      bySeverity[alert.severity] += 1;
      if (alert.deviceId !== '')
        risk.set(alert.deviceId, (risk.get(alert.deviceId) ?? 0) + SEVERITY_WEIGHT[alert.severity]);
    }
    for (const recommendation of raised) {
      if (recommendation.deviceId === '') continue;
      risk.set(
        recommendation.deviceId,
        (risk.get(recommendation.deviceId) ?? 0) + SEVERITY_WEIGHT[recommendation.severity] / 4,
      );
    }
    const start = Math.floor(at / HOUR) * HOUR - 23 * HOUR;
    const timeline = Array.from({ length: 24 }, (_, i) => ({
      hour: start + i * HOUR,
      high: 0,
      medium: 0,
      low: 0,
    }));
    for (const alert of recent) {
      const bucket = timeline[Math.floor((alert.firstSeenAt - start) / HOUR)];
      if (bucket !== undefined) bucket[alert.severity] += 1;
    }
    const penalty = [...risk.values()].reduce((total, value) => total + value, 0);
    return {
      // 100 with nothing open, falling quickly with high-severity alerts; never below 0.
      score: Math.max(0, Math.round(100 - Math.min(100, penalty))),
      activeAlerts: bySeverity,
      raisedRecommendations: raised.length,
      timeline,
      devicesAtRisk: [...risk.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([deviceId, score]) => ({ deviceId, risk: Math.round(score * 10) / 10 })),
    };
  });

  app.get('/api/health', { config: { public: true } }, () => ({ status: 'ok' }));
}
