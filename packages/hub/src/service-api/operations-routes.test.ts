import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('service API: operations log', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  it('filters by device, operation, outcome and time, newest first, paged with before', async () => {
    const base = Date.UTC(2026, 0, 1);
    await api.h.store.operations.record(
      Array.from({ length: 5 }, (_, i) => ({
        at: base + i * 1000,
        operation: i % 2 === 0 ? 'connect' : 'authenticationFailed',
        outcome: i % 2 === 0 ? ('success' as const) : ('failure' as const),
        deviceId: i < 4 ? 'dev1' : 'dev2',
        ...(i % 2 === 0 ? {} : { reason: 'sasExpired' }),
      })),
    );
    const page1 = await api.call('GET', '/operations?deviceId=dev1&limit=2');
    const body1 = page1.json<{ items: { time: string }[]; next: number }>();
    expect(body1.items.map((o) => o.time)).toEqual([
      new Date(base + 3000).toISOString(),
      new Date(base + 2000).toISOString(),
    ]);
    const page2 = await api.call('GET', `/operations?deviceId=dev1&limit=2&before=${body1.next}`);
    expect(page2.json().items).toHaveLength(2);
    const failures = await api.call(
      'GET',
      `/operations?operation=authenticationFailed&outcome=failure&since=${new Date(base + 2000).toISOString()}`,
    );
    expect(failures.json()).toMatchObject({
      items: [{ reason: 'sasExpired', deviceId: 'dev1' }],
      next: null,
    });
    const bad = await api.call('GET', '/operations?operation=fly&since=yesterday');
    expect(errorOf(bad).details.map((d) => d.path)).toEqual(['query.operation', 'query.since']);
  });
});
