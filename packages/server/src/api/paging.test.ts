import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store, type StoredSecurityEvent } from '@vigil/storage';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from './create-api.js';

const T = Date.UTC(2026, 10, 22, 12);
let dir: string;
let store: Store;
let api: FastifyInstance;
let viewer: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-paging-'));
  store = await openSqliteStore({ dataDir: dir });
  const tokens = await TokenStore.open(dir);
  await tokens.create('admin', 'first admin');
  viewer = (await tokens.create('viewer', 'dashboard')).token;
  api = await createApi({ store, tokens, now: () => T, dashboardDirectory: null });
});
afterEach(async () => {
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string) =>
  api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${viewer}` } });
type Page<T> = { items: T[]; total: number; limit: number; offset: number };

function event(eventId: string, at: number, receivedAt = at): StoredSecurityEvent {
  return {
    eventId,
    deviceId: 'plc-1',
    moduleId: null,
    name: 'ProcessCreate',
    category: 'Triggered',
    eventType: 'Security',
    at,
    receivedAt,
    payload: {},
    ingestId: null,
  };
}

/** The paging answers every list shares, checked the same way for each. */
const LISTS = [
  {
    name: 'recommendations',
    url: '/api/recommendations',
    id: (item: { typeId: string }) => item.typeId,
    seed: async () => {
      for (const [i, severity] of (['low', 'high', 'medium', 'low', 'high'] as const).entries()) {
        await store.recommendations.raise({
          typeId: `R${i}`,
          deviceId: `d${i % 2}`,
          key: 'k',
          severity,
          at: T - 10_000 + i,
        });
      }
      // Newest update first by default; by severity, ties by update.
      return {
        newestFirst: ['R4', 'R3', 'R2', 'R1', 'R0'],
        otherSort: 'severity',
        byOtherSort: ['R4', 'R1', 'R2', 'R3', 'R0'],
      };
    },
  },
  {
    name: 'device events',
    url: '/api/devices/plc-1/events',
    id: (item: { eventId: string }) => item.eventId,
    seed: async () => {
      await store.securityEvents.record([
        event('e0', T - 5_000, T - 1_000),
        event('e1', T - 4_000, T - 3_900),
        event('e2', T - 3_000, T - 2_900),
        event('e3', T - 2_000, T - 1_900),
        event('e4', T - 1_000, T - 4_900),
      ]);
      return {
        newestFirst: ['e4', 'e3', 'e2', 'e1', 'e0'],
        otherSort: 'received',
        byOtherSort: ['e0', 'e3', 'e2', 'e1', 'e4'],
      };
    },
  },
] as const;

describe.each(LISTS)('paging $name', ({ url, id, seed }) => {
  it('pages with limit and offset, totals every match, sorts, and answers an empty page past the end', async () => {
    const { newestFirst, otherSort, byOtherSort } = await seed();
    const first = (await get(`${url}?limit=2`)).json<Page<never>>();
    expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(first.items.map(id)).toEqual(newestFirst.slice(0, 2));
    const last = (await get(`${url}?limit=2&offset=4`)).json<Page<never>>();
    expect(last).toMatchObject({ total: 5, limit: 2, offset: 4 });
    expect(last.items.map(id)).toEqual(newestFirst.slice(4));
    const past = await get(`${url}?limit=2&offset=6`);
    expect(past.statusCode).toBe(200);
    expect(past.json()).toEqual({ items: [], total: 5, limit: 2, offset: 6 });
    const sorted = (await get(`${url}?sort=${otherSort}`)).json<Page<never>>();
    expect(sorted.items.map(id)).toEqual(byOtherSort);
    // Walking the pages visits every item exactly once.
    const walked: string[] = [];
    for (let offset = 0; offset < 5; offset += 2)
      walked.push(...(await get(`${url}?limit=2&offset=${offset}`)).json<Page<never>>().items.map(id));
    expect(walked).toEqual(newestFirst);
  });

  it('answers an empty list with total 0', async () => {
    expect((await get(url)).json()).toEqual({ items: [], total: 0, limit: 100, offset: 0 });
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=1001', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['offset=-1', 'query.offset'],
    ['offset=100001', 'query.offset'],
    ['offset=1.5', 'query.offset'],
    ['sort=random', 'query.sort'],
    ['cursor=abc', 'query.cursor'],
  ])('refuses %s with VALIDATION_FAILED naming %s', async (query, path) => {
    const response = await get(`${url}?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ path }] } });
  });
});

describe('posture summary over a large fleet', () => {
  it('counts every active alert and raised recommendation, not only the first 1,000', async () => {
    // 1,200 active alerts: 240 high on d-hot, 960 low spread over d-0 … d-9, all within the last day.
    for (let i = 0; i < 1_200; i += 1) {
      const hot = i % 5 === 0;
      await store.alerts.raise({
        typeId: `T${i}`,
        deviceId: hot ? 'd-hot' : `d-${i % 10}`,
        key: `k${i}`,
        occurrenceId: `o${i}`,
        severity: hot ? 'high' : 'low',
        title: 'bulk',
        at: T - 3_600_000 - i,
      });
    }
    for (let i = 0; i < 1_050; i += 1) {
      await store.recommendations.raise({
        typeId: `R${i}`,
        deviceId: '',
        key: 'hub',
        severity: 'low',
        at: T,
      });
    }
    const posture = (await get('/api/posture')).json<{
      activeAlerts: Record<string, number>;
      raisedRecommendations: number;
      timeline: { high: number; medium: number; low: number }[];
      devicesAtRisk: { deviceId: string; risk: number }[];
      score: number;
    }>();
    expect(posture.activeAlerts).toEqual({ high: 240, medium: 0, low: 960 });
    expect(posture.raisedRecommendations).toBe(1_050);
    const charted = posture.timeline.reduce((n, bucket) => n + bucket.high + bucket.medium + bucket.low, 0);
    expect(charted).toBe(1_200);
    expect(posture.devicesAtRisk[0]).toEqual({ deviceId: 'd-hot', risk: 2_400 });
    expect(posture.score).toBe(0);
  });
});
