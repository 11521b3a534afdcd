import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createFeedLoader, toLoadRecord, type FeedLoader } from '@vigil/analytics';
import { openSqliteStore, type Store } from '@vigil/storage';
import { VigilApiError, VigilClient } from '@vigil/api-client';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from '../api/create-api.js';
import { createFeedService, FEED_OPERATION, MAX_FEEDS, type FeedView } from './feed-service.js';

let dir: string;
let store: Store;
let loader: FeedLoader;
let api: FastifyInstance;
let admin: string;
let viewer: string;

// A feed publisher on loopback: each path answers what the test last set.
let publisher: Server;
let base: string;
const published = new Map<string, { status: number; body: string }>();

beforeAll(async () => {
  publisher = createServer((request, response) => {
    const route = published.get(request.url ?? '/');
    response.writeHead(route?.status ?? 404, { 'content-type': 'text/plain' });
    response.end(route?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
});
afterAll(async () => {
  publisher.closeAllConnections();
  await new Promise((resolve) => publisher.close(resolve));
});

async function build(configured: string[] = []): Promise<void> {
  loader = createFeedLoader({
    feeds: await store.threatIntelFeeds.list(),
    onLoad: (report) =>
      void store.threatIntelFeeds.recordLoad(report.feed, toLoadRecord(report)).catch(() => undefined),
  });
  await loader.start();
  const tokens = await TokenStore.open(dir);
  admin = (await tokens.create('admin', 'a')).token;
  viewer = (await tokens.create('viewer', 'v')).token;
  api = await createApi({
    store,
    tokens,
    dashboardDirectory: null,
    threatIntel: createFeedService({ store, loader, configured: new Set(configured) }),
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-feed-api-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  loader.stop();
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = admin) =>
  api.inject({
    method,
    url: `/api/threat-intel/feeds${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function feedFile(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, body);
  return path;
}

describe('threat-intel feed API', () => {
  it('adds a file feed, loads it into the running matcher, lists its counts and records the change', async () => {
    await build();
    expect((await call('GET', '', undefined, viewer)).json()).toEqual({ items: [] });
    const path = await feedFile(
      'c2.txt',
      '# c2 servers\n45.9.148.0/24\n198.51.100.7\n10.0.0.0/8\n185.220.101.4\n',
    );
    const added = await call('POST', '', { name: 'c2', source: path, format: 'plain' });
    expect(added.statusCode).toBe(201);
    expect(added.json<FeedView>()).toMatchObject({
      name: 'c2',
      source: { type: 'file', location: path },
      format: 'plain',
      column: null,
      refreshInterval: 'PT1H',
      internal: false,
      origin: 'api',
      status: {
        state: 'loaded',
        entries: 2,
        setAside: 2,
        setAsideByReason: { documentation: 1, private: 1 },
        lastError: null,
      },
    });
    expect(loader.lookup('45.9.148.20')).toMatchObject({ feed: 'c2', entry: '45.9.148.0/24' });
    expect(loader.lookup('10.1.1.1')).toBeUndefined();

    const listed = (await call('GET', '', undefined, viewer)).json<{ items: FeedView[] }>();
    expect(listed.items.map((feed) => [feed.name, feed.status.entries, feed.status.setAside])).toEqual([
      ['c2', 2, 2],
    ]);
    expect((await call('GET', '/c2', undefined, viewer)).json<FeedView>().status.lastLoadAt).toMatch(
      /^\d{4}-/,
    );
    await expect.poll(async () => (await store.threatIntelFeeds.get('c2'))?.lastEntryCount).toBe(2);
    const log = await store.operations.list({ operation: FEED_OPERATION });
    expect(log.map((entry) => [entry.outcome, entry.details])).toEqual([
      ['success', { feed: 'c2', action: 'added', entries: 2 }],
    ]);
    expect(log[0]?.sourceAddress).toBe('127.0.0.1');
  });

  it('lists every problem of a bad definition with a stable code and stores nothing', async () => {
    await build();
    const bad = await call('POST', '', {
      name: 'no spaces',
      source: 'relative/path.txt',
      format: 'xml',
      refreshInterval: 'PT5S',
      internal: 'yes',
      colour: 'red',
    });
    expect(bad.statusCode).toBe(400);
    const error = bad.json<{ error: { code: string; details: { path: string; code: string }[] } }>().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => [d.path, d.code])).toEqual([
      ['body.colour', 'FEED_UNKNOWN_FIELD'],
      ['body.name', 'FEED_NAME_INVALID'],
      ['body.source', 'FEED_SOURCE_INVALID'],
      ['body.format', 'FEED_FORMAT_INVALID'],
      ['body.refreshInterval', 'FEED_REFRESH_INVALID'],
      ['body.internal', 'FEED_INTERNAL_INVALID'],
    ]);
    const codes = async (payload: object) =>
      (await call('POST', '', payload))
        .json<{ error: { details: { code: string }[] } }>()
        .error.details.map((d) => d.code);
    expect(await codes({ name: 'a', source: 'ftp://127.0.0.1/list', format: 'plain' })).toEqual([
      'FEED_SOURCE_INVALID',
    ]);
    expect(await codes({ name: 'a', source: 'http://user:pw@127.0.0.1/x', format: 'plain' })).toEqual([
      'FEED_SOURCE_INVALID',
    ]);
    expect(await codes({ name: 'a', source: '/tmp/x.csv', format: 'csv' })).toEqual(['FEED_COLUMN_INVALID']);
    expect(await codes({ name: 'a', source: '/tmp/x.txt', format: 'plain', column: 2 })).toEqual([
      'FEED_COLUMN_INVALID',
    ]);
    expect(await codes([])).toEqual(['FEED_NOT_AN_OBJECT']);
    expect(await store.threatIntelFeeds.list()).toEqual([]);

    const path = await feedFile('one.txt', '1.2.3.4\n');
    expect((await call('POST', '', { name: 'one', source: path, format: 'plain' })).statusCode).toBe(201);
    const twice = await call('POST', '', { name: 'one', source: path, format: 'plain' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'CONFLICT']);
    const renamed = await call('PUT', '/one', { name: 'other', source: path, format: 'plain' });
    expect(renamed.json().error.details[0]).toMatchObject({ path: 'body.name', code: 'FEED_UNKNOWN_FIELD' });
    expect((await call('PUT', '/missing', { source: path, format: 'plain' })).statusCode).toBe(404);
    expect((await call('POST', '/missing/reload')).statusCode).toBe(404);
    expect((await call('DELETE', '/missing')).statusCode).toBe(404);

    // Bounded: past MAX_FEEDS an add is refused and nothing is stored.
    for (let i = 1; i < MAX_FEEDS; i += 1)
      await store.threatIntelFeeds.put({
        name: `bulk-${i}`,
        source: { type: 'file', location: path },
        format: { type: 'list' },
        internal: false,
        refreshIntervalMs: 3_600_000,
      });
    const full = await call('POST', '', { name: 'one-too-many', source: path, format: 'plain' });
    expect([full.statusCode, full.json().error.code]).toEqual([409, 'CONFLICT']);
    expect(full.json().error.message).toContain(`already ${MAX_FEEDS} feeds`);
    expect(await store.threatIntelFeeds.get('one-too-many')).toBeUndefined();
  });

  it('lets a viewer read but answers 403 to every change, changing nothing', async () => {
    await build();
    const path = await feedFile('v.txt', '9.9.9.9\n');
    expect((await call('POST', '', { name: 'v', source: path, format: 'plain' })).statusCode).toBe(201);
    const before = await store.threatIntelFeeds.get('v');
    for (const [method, url, payload] of [
      ['POST', '', { name: 'w', source: path, format: 'plain' }],
      ['PUT', '/v', { source: path, format: 'plain', internal: true }],
      ['DELETE', '/v', undefined],
      ['POST', '/v/reload', undefined],
    ] as const) {
      const response = await call(method, url, payload, viewer);
      expect([method, url, response.statusCode, response.json().error.code]).toEqual([
        method,
        url,
        403,
        'FORBIDDEN',
      ]);
    }
    expect(await store.threatIntelFeeds.list()).toEqual([before]);
    expect((await call('GET', '/v', undefined, viewer)).statusCode).toBe(200);
    expect(loader.lookup('9.9.9.9')?.feed).toBe('v');
  });

  it('"reload now" picks up a changed file; update and delete take effect without a restart', async () => {
    await build();
    const path = await feedFile('rotating.txt', '203.0.113.9\n1.2.3.0/24\n');
    await call('POST', '', { name: 'rotating', source: path, format: 'plain' });
    expect(loader.lookup('1.2.3.4')?.feed).toBe('rotating');
    await writeFile(path, '5.6.7.8\n5.6.8.0/24\n');
    const reloaded = await call('POST', '/rotating/reload');
    expect(reloaded.statusCode).toBe(200);
    expect(reloaded.json<FeedView>().status).toMatchObject({ state: 'loaded', entries: 2, setAside: 0 });
    expect(loader.lookup('1.2.3.4')).toBeUndefined();
    expect(loader.lookup('5.6.8.1')?.entry).toBe('5.6.8.0/24');

    // Now a CSV of internal ranges from the same file path: private addresses match.
    await writeFile(path, 'range,owner\n10.20.0.0/16,lab\n');
    const updated = await call('PUT', '/rotating', {
      source: path,
      format: 'csv',
      column: 'range',
      internal: true,
      refreshInterval: 'PT15M',
    });
    expect(updated.json<FeedView>()).toMatchObject({
      format: 'csv',
      column: 'range',
      internal: true,
      refreshInterval: 'PT15M',
      status: { state: 'loaded', entries: 1, setAside: 0 },
    });
    expect(loader.lookup('10.20.3.4')).toMatchObject({ feed: 'rotating', internal: true });

    expect((await call('DELETE', '/rotating')).statusCode).toBe(204);
    expect(loader.lookup('10.20.3.4')).toBeUndefined();
    expect((await call('GET', '', undefined, viewer)).json()).toEqual({ items: [] });
    const actions = (await store.operations.list({ operation: FEED_OPERATION })).map((e) => e.details.action);
    expect(actions).toEqual(['removed', 'updated', 'reloaded', 'added']);
  });

  it('a feed whose URL or file breaks reports the error and keeps its previous entries', async () => {
    await build();
    published.set('/drop.txt', { status: 200, body: '45.9.148.0/24\n' });
    const added = await call('POST', '', { name: 'drop', source: `${base}/drop.txt`, format: 'plain' });
    expect(added.json<FeedView>().status).toMatchObject({ state: 'loaded', entries: 1 });
    const working = loader.index;

    published.set('/drop.txt', { status: 500, body: 'down' });
    const failed = (await call('POST', '/drop/reload')).json<FeedView>();
    expect(failed.status).toMatchObject({ state: 'failed', entries: 1, keptLastGood: true });
    expect(failed.status.lastError).toMatch(/^HTTP_STATUS: GET .*\/drop\.txt answered 500/);
    expect(loader.index).toBe(working);
    expect(loader.lookup('45.9.148.1')?.feed).toBe('drop');
    const [logged] = await store.operations.list({ operation: FEED_OPERATION });
    expect([logged?.outcome, logged?.reason]).toEqual(['failure', 'HTTP_STATUS']);

    // Pointed at a file that does not exist: the same, and the stored status says so too.
    const moved = await call('PUT', '/drop', { source: join(dir, 'absent.txt'), format: 'plain' });
    expect(moved.json<FeedView>().status).toMatchObject({ state: 'failed', entries: 1, keptLastGood: true });
    expect(moved.json<FeedView>().status.lastError).toMatch(/^READ_FAILED: /);
    expect(loader.lookup('45.9.148.1')?.feed).toBe('drop');
    await expect
      .poll(async () => (await store.threatIntelFeeds.get('drop'))?.lastError)
      .toMatch(/^READ_FAILED/);

    // A new feed that never loaded serves nothing and says why.
    const never = await call('POST', '', { name: 'never', source: `${base}/missing.txt`, format: 'plain' });
    expect(never.statusCode).toBe(201);
    expect(never.json<FeedView>().status).toMatchObject({
      state: 'failed',
      entries: null,
      keptLastGood: false,
    });
  });

  it('keeps feeds declared in the configuration file read-only', async () => {
    const path = await feedFile('cfg.txt', '7.7.7.7\n');
    await store.threatIntelFeeds.put({
      name: 'from-config',
      source: { type: 'file', location: path },
      format: { type: 'list' },
      internal: false,
      refreshIntervalMs: 3_600_000,
    });
    await build(['from-config']);
    const feed = (await call('GET', '/from-config', undefined, viewer)).json<FeedView>();
    expect(feed).toMatchObject({ origin: 'config', status: { state: 'loaded', entries: 1 } });
    const change = await call('PUT', '/from-config', { source: path, format: 'plain', internal: true });
    expect([change.statusCode, change.json().error.code]).toEqual([409, 'CONFLICT']);
    expect((await call('DELETE', '/from-config')).statusCode).toBe(409);
    expect((await call('POST', '/from-config/reload')).statusCode).toBe(200);
    expect(loader.lookup('7.7.7.7')?.feed).toBe('from-config');
  });

  it('is what the typed client speaks over real HTTP, etags and violation codes included', async () => {
    await build();
    const client = new VigilClient({
      baseUrl: await api.listen({ port: 0, host: '127.0.0.1' }),
      token: admin,
    });
    const path = await feedFile('typed.txt', '8.8.4.0/24\n');
    const added = await client.addFeed({
      name: 'typed',
      source: path,
      format: 'plain',
      refreshInterval: 'PT2H',
    });
    expect(added).toMatchObject({ refreshIntervalMs: 7_200_000, status: { state: 'loaded', entries: 1 } });
    expect((await client.getFeed('typed')).etag).toBe(added.etag);
    const stale = await client
      .updateFeed('typed', { source: path, format: 'plain', internal: true }, 'not-the-etag')
      .catch((thrown: unknown) => thrown);
    expect(stale).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    const updated = await client.updateFeed(
      'typed',
      { source: path, format: 'plain', internal: true },
      added.etag,
    );
    expect(updated).toMatchObject({ internal: true, refreshInterval: 'PT1H' });
    expect(updated.etag).not.toBe(added.etag);
    const refused = await client
      .addFeed({ name: 'typed 2', source: path, format: 'plain' })
      .catch((thrown: unknown) => thrown);
    expect(refused).toBeInstanceOf(VigilApiError);
    expect((refused as VigilApiError).details).toEqual([
      { path: 'body.name', message: expect.any(String), code: 'FEED_NAME_INVALID' },
    ]);
    expect((await client.reloadFeed('typed')).status).toMatchObject({ state: 'loaded', entries: 1 });
    expect((await client.listFeeds()).items.map((feed) => feed.name)).toEqual(['typed']);
    await client.removeFeed('typed');
    expect((await client.listFeeds()).items).toEqual([]);
  });
});
