import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store } from '@vigil/storage';
import { TokenStore } from '../auth/tokens.js';
import { createApi, type ApiOptions } from '../api/create-api.js';
import { checkOpenApiDocument } from './check-document.js';
import { createDeviceServices, serviceApiPlugin, SERVICE_API_PREFIX, type DeviceServices } from '@vigil/hub';
import { CORE_ROUTE_DOCS } from './core-route-docs.js';
import { HUB_ROUTE_DOCS } from './hub-route-docs.js';
import { createFeedLoader } from '@vigil/analytics';
import { createFeedService } from '../threat-intel/index.js';

let dir: string;
let store: Store;
let tokens: TokenStore;
let api: FastifyInstance | undefined;
let hubServices: DeviceServices | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-openapi-'));
  store = await openSqliteStore({ dataDir: dir });
  tokens = await TokenStore.open(dir);
});
afterEach(async () => {
  await api?.close();
  await hubServices?.close();
  api = undefined;
  hubServices = undefined;
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

type Operation = {
  summary: string;
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
  security?: unknown[];
  'x-undocumented'?: boolean;
  'x-vigil-role'?: string;
};
type Document = { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;

/** Builds the API as the server does, recording every route through Fastify's own onRoute hook. */
async function build(extend?: ApiOptions['extend']) {
  const routes: { method: string; url: string }[] = [];
  api = await createApi({
    store,
    tokens,
    dashboardDirectory: null,
    metrics: { collect: () => Promise.resolve([]) },
    // Mounted as the server does, over a loader with no feeds (nothing is loaded here).
    threatIntel: createFeedService({ store, loader: createFeedLoader({ feeds: [] }) }),
    onRoute: (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    },
    ...(extend === undefined ? {} : { extend }),
  });
  const response = await api.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  return { routes, document: response.json<Document>() };
}

const operationOf = (document: Document, method: string, url: string): Operation | undefined =>
  document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];

describe('the OpenAPI document at /api/openapi.json', () => {
  it('is public, valid in shape, and describes every route the server mounts (its own and the hub API)', async () => {
    // Mounted as the server does; no request reaches a device here, so the gateway's channel and
    // operations sink are stand-ins that are never connected and record nothing.
    hubServices = createDeviceServices({
      store,
      channel: {
        isConnected: () => false,
        isSubscribed: () => false,
        deliver: () => Promise.resolve(false),
        disconnect: () => undefined,
        disconnectPolicy: () => 0,
      },
      operations: { record: () => undefined, flush: () => Promise.resolve() },
    });
    const services = hubServices;
    const { routes, document } = await build(async (app) => {
      await app.register(serviceApiPlugin, {
        prefix: SERVICE_API_PREFIX,
        services,
        operations: store.operations,
        externalAuth: true,
      });
    });
    expect(checkOpenApiDocument(document)).toEqual([]);
    const apiRoutes = routes.filter(
      (route) => route.method !== 'HEAD' && (route.url.startsWith('/api/') || route.url === '/metrics'),
    );
    expect(apiRoutes.filter((route) => route.url.startsWith('/api/hub/')).length).toBeGreaterThanOrEqual(30);
    for (const route of apiRoutes) {
      const operation = operationOf(document, route.method, route.url);
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      // Documented by its owner, not a placeholder the generator had to invent.
      expect(
        operation?.['x-undocumented'],
        `${route.method} ${route.url} has no description: give the route a Fastify \`schema\` with a summary, \`config: { openapi: { summary, … } }\`, or an entry in CORE_ROUTE_DOCS`,
      ).toBeUndefined();
    }
    // The catalogue describes only routes that exist: a renamed or removed route fails here.
    const registered = new Set(apiRoutes.map((route) => `${route.method} ${route.url}`));
    expect(
      Object.keys({ ...CORE_ROUTE_DOCS, ...HUB_ROUTE_DOCS }).filter((key) => !registered.has(key)),
    ).toEqual([]);
    expect(Object.keys(document.paths)).not.toContain('/*');
    expect(apiRoutes.filter((route) => route.url.startsWith('/api/threat-intel/')).length).toBe(6);
  });

  it('says which routes need a token, what they take, and which errors they answer', async () => {
    const { document } = await build();
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(operationOf(document, 'GET', '/api/health')?.security).toEqual([]);
    expect(operationOf(document, 'GET', '/api/openapi.json')?.security).toEqual([]);
    const list = operationOf(document, 'GET', '/api/alerts')!;
    expect(list.parameters?.map((p) => p.name)).toEqual([
      'status',
      'severity',
      'deviceId',
      'typeId',
      'sort',
      'limit',
      'offset',
    ]);
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    const dismiss = operationOf(document, 'POST', '/api/alerts/:id/dismiss')!;
    expect(dismiss.parameters?.[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(dismiss.requestBody).toBeDefined();
    expect(Object.keys(dismiss.responses)).toEqual(expect.arrayContaining(['403', '404']));
    // Who may call each operation, as the auth hook enforces it (the API contract test checks it).
    const roles = Object.fromEntries(
      [
        ['GET', '/api/health'],
        ['GET', '/api/alerts'],
        ['POST', '/api/alerts/:id/dismiss'],
        ['GET', '/api/tokens'],
        ['DELETE', '/api/tokens/:id'],
      ].map(([method, url]) => [`${method} ${url}`, operationOf(document, method!, url!)?.['x-vigil-role']]),
    );
    expect(roles).toEqual({
      'GET /api/health': 'public',
      'GET /api/alerts': 'viewer',
      'POST /api/alerts/:id/dismiss': 'admin',
      'GET /api/tokens': 'admin',
      'DELETE /api/tokens/:id': 'admin',
    });
    expect(Object.keys(operationOf(document, 'GET', '/api/tokens')!.responses)).toContain('403');
    expect(Object.keys(list.responses)).not.toContain('403');
    expect(operationOf(document, 'GET', '/metrics')?.responses['200']?.content).toHaveProperty([
      'text/plain; version=0.0.4; charset=utf-8',
    ]);
  });

  it('follows routes added later: Fastify schemas and config.openapi are read; a bare route is flagged', async () => {
    const { document, routes } = await build((app) => {
      app.get(
        '/api/widgets/:widgetId',
        {
          schema: {
            summary: 'Read a widget',
            tags: ['widgets'],
            params: { type: 'object', properties: { widgetId: { type: 'string', minLength: 2 } } },
            querystring: {
              type: 'object',
              required: ['colour'],
              properties: { colour: { type: 'string', description: 'paint' } },
            },
          },
        },
        () => ({}),
      );
      app.post(
        '/api/widgets',
        { config: { openapi: { summary: 'Create a widget', body: { type: 'object' } } } },
        () => ({}),
      );
      app.delete('/api/widgets/:widgetId', () => ({}));
    });
    expect(checkOpenApiDocument(document)).toEqual([]);
    const read = operationOf(document, 'GET', '/api/widgets/:widgetId')!;
    expect(read.summary).toBe('Read a widget');
    expect(read.parameters).toEqual([
      { name: 'widgetId', in: 'path', required: true, schema: { type: 'string', minLength: 2 } },
      { name: 'colour', in: 'query', required: true, description: 'paint', schema: { type: 'string' } },
    ]);
    expect(operationOf(document, 'POST', '/api/widgets')?.summary).toBe('Create a widget');
    const bare = operationOf(document, 'DELETE', '/api/widgets/:widgetId')!;
    expect(bare['x-undocumented']).toBe(true);
    expect(bare.parameters?.[0]).toMatchObject({ name: 'widgetId', in: 'path', required: true });
    expect(routes.some((route) => route.url === '/api/widgets')).toBe(true);
  });
});

describe('the shape check', () => {
  it('finds what a client generator would trip over', () => {
    const problems = checkOpenApiDocument({
      openapi: '3.0.0',
      info: { title: 'x' },
      paths: {
        '/a/{id}': {
          get: { operationId: 'x', responses: { '200': {} } },
          post: { operationId: 'x', responses: {} },
        },
        b: {
          get: {
            responses: { '200': { description: 'ok', content: { 'a/b': { schema: { $ref: '#/nope' } } } } },
          },
        },
      },
      security: [{ basic: [] }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'openapi must be 3.1.x',
        'info needs a title and a version',
        'GET /a/{id}: response 200 has no description',
        'GET /a/{id}: path:id is not described',
        'operationId x twice',
        'POST /a/{id}: has no responses',
        'path b must start with /',
        'security: unknown scheme basic',
      ]),
    );
    expect(problems.some((problem) => problem.includes('#/nope points nowhere'))).toBe(true);
  });
});
