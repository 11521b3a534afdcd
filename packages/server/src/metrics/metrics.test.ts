import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type IdentityKey, type Store } from '@vigil/storage';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from '../api/create-api.js';
import { formatExposition } from './exposition.js';
import { countConnectedIdentities } from './hub-connections.js';
import { createServerMetrics } from './server-metrics.js';

let dir: string;
let store: Store;
let tokens: TokenStore;
let viewer: string;
const apis: FastifyInstance[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-metrics-'));
  store = await openSqliteStore({ dataDir: dir });
  tokens = await TokenStore.open(dir);
  viewer = (await tokens.create('viewer', 'prometheus')).token;
});
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** One sample's value from exposition text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function metricsApi(isPublic?: boolean): Promise<FastifyInstance> {
  const api = await createApi({
    store,
    tokens,
    dashboardDirectory: null,
    metrics: {
      ...(isPublic === undefined ? {} : { public: isPublic }),
      collect: createServerMetrics({
        store,
        analytics: () => ({
          records: 12,
          operations: 3,
          rejectedMessages: 1,
          eventsRecorded: 40,
          alertsCreated: 2,
          alertsMerged: 5,
          recommendationsRaised: 1,
          recommendationsResolved: 0,
          failedRecords: 1,
          units: 4,
        }),
        operations: () => ({ recorded: 30, dropped: 4, failed: 0 }),
        connections: () => 7,
      }),
    },
  });
  apis.push(api);
  return api;
}

describe('Prometheus text format', () => {
  it('writes HELP, TYPE and samples, escaping label values and help text', () => {
    const text = formatExposition([
      {
        name: 'vigil_x',
        help: 'line one\nline \\ two',
        type: 'gauge',
        samples: [{ labels: { device: 'a "quoted"\nname' }, value: 1.5 }, { value: Number.NaN }],
      },
    ]);
    expect(text).toBe(
      '# HELP vigil_x line one\\nline \\\\ two\n# TYPE vigil_x gauge\nvigil_x{device="a \\"quoted\\"\\nname"} 1.5\nvigil_x NaN\n',
    );
    expect(() => formatExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(
      /invalid metric name/,
    );
  });
});

describe('/metrics', () => {
  it('needs a token by default: 401 without one, the metrics with a viewer token', async () => {
    const api = await metricsApi();
    const refused = await api.inject({ method: 'GET', url: '/metrics' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
    const answer = await api.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sample(answer.body, 'vigil_hub_connected_devices')).toBe(7);
  });

  it('with metrics: { public: true } a scraper needs no token', async () => {
    const api = await metricsApi(true);
    const answer = await api.inject({ method: 'GET', url: '/metrics' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('# TYPE vigil_analytics_records_total counter');
  });

  it('reports ingest counters and lag, analytics counters, alerts by severity, drops and the process', async () => {
    await store.ingestLog.append(
      [1, 2, 3].map((n) => ({
        kind: 'd2c' as const,
        deviceId: `d${n}`,
        receivedAt: n,
        body: new Uint8Array([n]),
      })),
    );
    const [first] = await store.ingestLog.read({ group: 'analytics', consumer: 'a', limit: 1 });
    await store.ingestLog.commit({ group: 'analytics', consumer: 'a', id: first!.id });
    for (const [typeId, severity] of [
      ['A', 'high'],
      ['B', 'high'],
      ['C', 'low'],
    ] as const) {
      await store.alerts.raise({
        typeId,
        deviceId: 'd1',
        key: typeId,
        occurrenceId: typeId,
        severity,
        title: typeId,
        at: 1,
      });
    }
    const text = (await (await metricsApi(true)).inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'vigil_ingest_records_total')).toBe(3);
    expect(sample(text, 'vigil_ingest_lag_records{group="analytics"}')).toBe(2);
    expect(sample(text, 'vigil_active_alerts{severity="high"}')).toBe(2);
    expect(sample(text, 'vigil_active_alerts{severity="medium"}')).toBe(0);
    expect(sample(text, 'vigil_active_alerts{severity="low"}')).toBe(1);
    expect(sample(text, 'vigil_analytics_alerts_created_total')).toBe(2);
    expect(sample(text, 'vigil_analytics_failed_records_total')).toBe(1);
    expect(sample(text, 'vigil_analytics_units_total')).toBe(4);
    expect(sample(text, 'vigil_hub_operations_dropped_total')).toBe(4);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'vigil_metrics_source_up{source="store"}')).toBe(1);
    // Every sample line belongs to a family announced by a TYPE line before it.
    const typed = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (type !== null) typed.add(type[1]!);
      else if (!line.startsWith('#')) expect(typed.has(line.split(/[{ ]/)[0]!)).toBe(true);
    }
  });

  it('a failing source is reported as down while the others are still exposed', async () => {
    const collect = createServerMetrics({
      connections: () => Promise.reject(new Error('hub gone')),
      operations: () => ({ recorded: 1, dropped: 0, failed: 0 }),
      process: false,
    });
    const text = formatExposition(await collect());
    expect(sample(text, 'vigil_metrics_source_up{source="hub"}')).toBe(0);
    expect(sample(text, 'vigil_hub_operations_recorded_total')).toBe(1);
    expect(text).not.toContain('vigil_hub_connected_devices ');
  });
});

describe('connected identities', () => {
  it('counts the registered identities whose session the hub reports live, across registry pages', async () => {
    const auth = { type: 'sas' as const, primaryKey: 'a'.repeat(44), secondaryKey: 'b'.repeat(44) };
    for (let i = 0; i < 7; i += 1) {
      await store.identities.create({ deviceId: `dev-${i}`, moduleId: null, auth });
    }
    const live = new Set(['dev-0', 'dev-3', 'dev-6']);
    // Stands in for the hub's DeviceChannel, which only a running gateway has.
    const fakeChannel = { isConnected: (identity: IdentityKey) => live.has(identity.deviceId) };
    expect(await countConnectedIdentities(store, fakeChannel, 2)()).toBe(3);
    expect(await countConnectedIdentities(store, fakeChannel)()).toBe(3);
  });
});
