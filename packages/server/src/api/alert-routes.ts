import type { FastifyInstance } from 'fastify';
import type { AlertSort, Severity, Store } from '@vigil/storage';
import { ApiError, validationFailed } from './errors.js';
import { QueryReader } from './query.js';

const STATUSES = ['active', 'dismissed', 'resolved'] as const;
const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];
const SORTS: readonly AlertSort[] = ['lastSeen', 'firstSeen', 'severity', 'occurrences'];
const MAX_NOTE_LENGTH = 2_000;

function alertId(params: unknown): number {
  const text = (params as { id?: string }).id ?? '';
  const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1)
    throw validationFailed([{ path: 'params.id', message: 'must be a positive whole number' }]);
  return id;
}

function readNote(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body))
    throw validationFailed([{ path: 'body', message: 'must be a JSON object' }]);
  const { note, ...rest } = body as Record<string, unknown>;
  const violations = Object.keys(rest).map((key) => ({
    path: `body.${key}`,
    message: 'is not a field of this request',
  }));
  if (note !== undefined && (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH)) {
    violations.push({ path: 'body.note', message: `must be text of at most ${MAX_NOTE_LENGTH} characters` });
  }
  if (violations.length > 0) throw validationFailed(violations);
  return note as string | undefined;
}

/** Alerts: list with filters, sort and paging; one alert with its history; dismiss and resolve. */
export function registerAlertRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/alerts', async (request) => {
    const query = new QueryReader(request.query);
    const filter = {
      status: query.text('status', STATUSES),
      severity: query.text('severity', SEVERITIES),
      deviceId: query.text('deviceId'),
      typeId: query.text('typeId'),
    };
    const sort = query.text('sort', SORTS) ?? 'lastSeen';
    const limit = query.integer('limit', 1, 500) ?? 50;
    const offset = query.integer('offset', 0, 100_000) ?? 0;
    query.done();
    const defined = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
    const [items, total] = await Promise.all([
      store.alerts.list({ ...defined, sort, limit, offset }),
      store.alerts.count(defined),
    ]);
    return { items, total, limit, offset };
  });

  app.get('/api/alerts/:id', async (request) => {
    const id = alertId(request.params);
    const alert = await store.alerts.get(id);
    if (alert === undefined) throw new ApiError('NOT_FOUND', `no alert ${id}`);
    return { ...alert, history: await store.alerts.history(id) };
  });

  for (const action of ['dismiss', 'resolve'] as const) {
    app.post(`/api/alerts/:id/${action}`, async (request) => {
      const id = alertId(request.params);
      const note = readNote(request.body);
      const current = await store.alerts.get(id);
      if (current === undefined) throw new ApiError('NOT_FOUND', `no alert ${id}`);
      if (current.status !== 'active') {
        throw new ApiError(
          'CONFLICT',
          `alert ${id} is already ${current.status}; only active alerts can be ${action}ed`,
        );
      }
      const updated = await store.alerts.setStatus(id, action === 'dismiss' ? 'dismissed' : 'resolved', {
        actor: request.role ?? 'unknown',
        ...(note === undefined ? {} : { note }),
      });
      return { ...updated, history: await store.alerts.history(id) };
    });
  }
}
