import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store } from '@vigil/storage';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from './create-api.js';

const T = Date.UTC(2026, 10, 22, 12);
let dir: string;
let store: Store;
let api: FastifyInstance;
let admin: string;
let viewer: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-api-'));
  store = await openSqliteStore({ dataDir: dir });
  const tokens = await TokenStore.open(dir);
  admin = (await tokens.create('admin', 'first admin')).token;
  viewer = (await tokens.create('viewer', 'dashboard')).token;
  api = await createApi({ store, tokens, now: () => T });
});
afterEach(async () => {
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const raise = (typeId: string, deviceId: string, severity: 'low' | 'medium' | 'high', at = T) =>
  store.alerts.raise({
    typeId,
    deviceId,
    key: typeId,
    occurrenceId: `${typeId}-${deviceId}-${at}`,
    severity,
    title: typeId,
    at,
  });
const get = (url: string, token = viewer) =>
  api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('API authentication', () => {
  it('401 without or with a wrong token, 403 when a viewer writes, and the health check is public', async () => {
    expect((await api.inject({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(401);
    const wrong = await get('/api/alerts', 'vgl_wrong');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const { alert } = await raise('Vigil_CryptoMiner', 'hmi', 'medium');
    const forbidden = await api.inject({
      method: 'POST',
      url: `/api/alerts/${alert.id}/dismiss`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await store.alerts.get(alert.id))?.status).toBe('active');
    expect((await api.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});

describe('alerts API', () => {
  it('filters, sorts and pages with a total', async () => {
    await raise('A', 'd1', 'low', T - 3000);
    await raise('B', 'd2', 'high', T - 2000);
    await raise('C', 'd1', 'medium', T - 1000);
    const page = (await get('/api/alerts?sort=severity&limit=2&offset=0')).json();
    expect(page.total).toBe(3);
    expect(page.items.map((a: { typeId: string }) => a.typeId)).toEqual(['B', 'C']);
    const second = (await get('/api/alerts?sort=severity&limit=2&offset=2')).json();
    expect(second.items.map((a: { typeId: string }) => a.typeId)).toEqual(['A']);
    const d1 = (await get('/api/alerts?deviceId=d1&severity=medium')).json();
    expect(d1.items.map((a: { typeId: string }) => a.typeId)).toEqual(['C']);
  });

  it('lists every invalid query parameter with a stable code', async () => {
    const response = await get('/api/alerts?status=open&limit=0&sort=random&color=red');
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'query.color',
      'query.limit',
      'query.sort',
      'query.status',
    ]);
  });

  it('dismisses with a note into the history; a second dismissal conflicts; unknown ids are 404', async () => {
    const { alert } = await raise('Vigil_ReverseShell', 'router', 'high');
    const response = await api.inject({
      method: 'POST',
      url: `/api/alerts/${alert.id}/dismiss`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { note: 'pen test' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'dismissed' });
    expect(response.json().history.at(-1)).toMatchObject({
      action: 'dismissed',
      actor: 'admin',
      note: 'pen test',
    });
    const again = await api.inject({
      method: 'POST',
      url: `/api/alerts/${alert.id}/resolve`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
    expect((await get('/api/alerts/999')).statusCode).toBe(404);
    expect((await get('/api/alerts/abc')).json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('posture summary', () => {
  it('counts active alerts by severity, buckets the last 24 hours and ranks devices', async () => {
    await raise('B', 'd2', 'high', T - 30 * 60_000);
    await raise('A', 'd1', 'low', T - 5 * 3600_000);
    const posture = (await get('/api/posture')).json();
    expect(posture.activeAlerts).toEqual({ high: 1, medium: 0, low: 1 });
    expect(posture.timeline).toHaveLength(24);
    expect(
      posture.timeline.reduce((n: number, b: { high: number; low: number }) => n + b.high + b.low, 0),
    ).toBe(2);
    // 11:30 belongs to the 11:00 bucket, the one before the current hour's.
    expect(posture.timeline.at(-2).high).toBe(1);
    expect(posture.devicesAtRisk[0]).toEqual({ deviceId: 'd2', risk: 10 });
    expect(posture.score).toBe(89);
  });
});
