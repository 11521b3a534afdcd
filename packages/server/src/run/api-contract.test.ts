import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeSecurityMessage } from '@vigil/protocol';
import { openSqliteStore } from '@vigil/storage';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from '../api/create-api.js';
import {
  badBodies,
  badQueries,
  bodyFor,
  operationsOf,
  pathFor,
  type DocumentedOperation,
  type OpenApiLike,
} from '../testing/openapi-requests.js';
import { startServer, type RunningServer } from './start-server.js';

/**
 * The API's contract, driven by the OpenAPI document the server itself serves: every operation in
 * it is called, so a route added later (by any package the server mounts) is covered the moment it
 * is documented, and an undocumented one already fails the OpenAPI test. The only per-route input
 * is a body `example` in a route's description; without one a body is built from its schema.
 */

let dataDir: string;
let server: RunningServer;
let admin = '';
let viewer = '';
let viewerId = '';
let document: OpenApiLike;
let operations: DocumentedOperation[];

/** Values of path parameters that address the seeded resources (any other name gets a made-up value). */
const knownValue = (name: string, operation: DocumentedOperation): string | undefined => {
  if (name === 'id' && operation.path.startsWith('/api/tokens/')) return viewerId;
  return { deviceId: 'dev-1', moduleId: 'mod-1', name: 'vigil-test' }[name];
};

type Answer = { status: number; code: string | undefined; details: { path: string }[]; text: string };

async function call(
  app: FastifyInstance,
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
): Promise<Answer> {
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  let parsed: { error?: { code?: string; details?: { path: string }[] } } = {};
  try {
    parsed = response.json();
  } catch {
    // Not JSON (metrics): no error code to read.
  }
  return {
    status: response.statusCode,
    code: parsed.error?.code,
    details: parsed.error?.details ?? [],
    text: response.body,
  };
}

/** Times that move by themselves (a token's last use is the very request being made). */
const VOLATILE_KEYS = new Set(['lastUsedAt']);
/** Reads that change with every request (request counters), so they cannot show a write. */
const UNSNAPSHOTTED = new Set(['/metrics']);

/**
 * Everything an admin can read: every GET operation of the document, its path filled with the
 * seeded resources. Any state a write could change shows up in one of them.
 */
async function snapshot(
  app: FastifyInstance,
  ops: readonly DocumentedOperation[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const operation of ops) {
    if (operation.method !== 'GET' || operation.role === 'public' || UNSNAPSHOTTED.has(operation.path))
      continue;
    const url = pathFor(operation, knownValue);
    const answer = await call(app, 'GET', url, admin);
    out[url] = `${answer.status} ${JSON.stringify(JSON.parse(answer.text || 'null'), (key, value: unknown) =>
      VOLATILE_KEYS.has(key) ? undefined : value,
    )}`;
  }
  return out;
}

/**
 * The authorization rules, checked by calling every operation: anonymous callers get 401 except on
 * public reads; a viewer gets 403 on every write and on admin-only reads and changes nothing; a
 * viewer reads everything else. Returns every broken rule, naming the route.
 */
async function authzProblems(app: FastifyInstance, doc: OpenApiLike): Promise<string[]> {
  const ops = operationsOf(doc);
  const problems: string[] = [];
  let before = await snapshot(app, ops);
  const unchanged = async (what: string) => {
    const after = await snapshot(app, ops);
    for (const [url, state] of Object.entries(before))
      if (after[url] !== state) problems.push(`${what} changed what GET ${url} answers`);
    // Each change is reported once, by the request that made it.
    before = after;
  };

  for (const operation of ops) {
    const { label, method, role } = operation;
    if (role !== 'public' && role !== 'viewer' && role !== 'admin') {
      problems.push(`${label}: the document states no x-vigil-role (public, viewer or admin)`);
      continue;
    }
    if (method !== 'GET' && role !== 'admin')
      problems.push(`${label}: changes state but is open to ${role === 'public' ? 'anyone' : 'viewers'}`);
    const url = pathFor(operation, knownValue);
    const body = bodyFor(doc, operation);
    const anonymous = await call(app, method, url, undefined, body);
    if (role === 'public') {
      if (anonymous.status === 401 || anonymous.status === 403)
        problems.push(`${label}: public, yet refused without a token (${anonymous.status})`);
      if (method !== 'GET') await unchanged(`${label} without a token`);
      continue;
    }
    if (anonymous.status !== 401 || anonymous.code !== 'UNAUTHENTICATED')
      problems.push(
        `${label}: without a token answered ${anonymous.status} ${anonymous.code ?? ''}, not 401 UNAUTHENTICATED`,
      );
    const wrong = await call(app, method, url, `${viewer}x`, body);
    if (wrong.status !== 401) problems.push(`${label}: a wrong token answered ${wrong.status}, not 401`);
    const asViewer = await call(app, method, url, viewer, body);
    if (role === 'admin') {
      if (asViewer.status !== 403 || asViewer.code !== 'FORBIDDEN')
        problems.push(`${label}: a viewer got ${asViewer.status} ${asViewer.code ?? ''}, not 403 FORBIDDEN`);
    } else if (!(asViewer.status === 200 || (asViewer.status === 404 && asViewer.code === 'NOT_FOUND'))) {
      problems.push(
        `${label}: a viewer got ${asViewer.status} ${asViewer.code ?? ''}, not 200 (or 404 NOT_FOUND)`,
      );
    }
    if (method !== 'GET') await unchanged(`${label} without a token, with a wrong one and as a viewer`);
  }
  return problems;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigil-api-contract-'));
  server = await startServer({
    dataDir,
    listeners: { mqtts: false, wss: false, mqtt: { port: 0, host: '127.0.0.1' } },
    api: { port: 0 },
    decode: decodeSecurityMessage,
    logger: false,
    // No periodic check during the run: a recommendation raised by one would look like a write.
    periodicChecksMs: 3_600_000,
    prepare: async () => {
      const tokens = await TokenStore.open(dataDir);
      admin = (await tokens.create('admin', 'contract tests')).token;
      const created = await tokens.create('viewer', 'contract tests');
      viewer = created.token;
      viewerId = created.record.id;
    },
  });
  const app = server.api;
  const served = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  document = served.json<OpenApiLike>();
  operations = operationsOf(document);
  // Something for every write to change: a device with a module, a queued C2D message, an alert, a
  // security group and a diagnostic setting, all made as an operator would.
  const seed: [string, string, unknown][] = [
    ['PUT', '/api/hub/devices/dev-1', {}],
    ['PUT', '/api/hub/devices/dev-1/modules/mod-1', {}],
    ['POST', '/api/hub/devices/dev-1/messages', { body: 'queued' }],
    [
      'PUT',
      '/api/security-groups/vigil-test',
      {
        rules: [
          { ruleId: 'ActiveConnectionsNotInAllowedRange', enabled: true, min: 0, max: 5, window: 'PT5M' },
        ],
      },
    ],
    [
      'PUT',
      '/api/hub/diagnostic-settings/vigil-test',
      { destination: 'file:///tmp/hub.jsonl', categories: ['Connections'] },
    ],
    ['PUT', '/api/hub/ip-filter', { defaultAction: 'accept', rules: [] }],
  ];
  for (const [method, url, body] of seed) {
    const answer = await call(app, method, url, admin, body);
    if (answer.status >= 300)
      throw new Error(`seeding ${method} ${url} failed: ${answer.status} ${answer.text}`);
  }
  await server.store.alerts.raise({
    typeId: 'Vigil_ReverseShell',
    deviceId: 'dev-1',
    key: 'k',
    occurrenceId: 'o1',
    severity: 'high',
    title: 'Reverse shell',
    at: Date.now(),
  });
});
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('authorization of every documented operation', () => {
  it('covers the whole API the server mounts, with a body for every write', () => {
    const writes = operations.filter((operation) => operation.method !== 'GET');
    expect(operations.length).toBeGreaterThanOrEqual(40);
    expect(writes.length).toBeGreaterThanOrEqual(20);
    // A write without an example whose schema cannot make a body fails here, naming the route.
    for (const operation of writes) bodyFor(document, operation);
  });

  it('refuses anonymous callers (401) and viewers on writes and admin-only reads (403), changing nothing; viewers read the rest', async () => {
    expect(await authzProblems(server.api, document)).toEqual([]);
  });

  it('lets an admin read what is admin-only (the 403 is the role, not the route failing)', async () => {
    const adminReads = operations.filter(
      (operation) => operation.method === 'GET' && operation.role === 'admin',
    );
    expect(adminReads.map((operation) => operation.label)).toEqual(
      expect.arrayContaining(['GET /api/tokens', 'GET /api/hub/devices/{deviceId}/connection-string']),
    );
    for (const operation of adminReads) {
      const answer = await call(server.api, 'GET', pathFor(operation, knownValue), admin);
      expect(answer.status, operation.label).toBe(200);
    }
  });

  it('would fail for a route added later without a rule: writes open to anyone or to viewers are found and named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-api-contract-rogue-'));
    const store = await openSqliteStore({ dataDir: dir });
    const tokens = await TokenStore.open(dir);
    const savedAdmin = admin;
    const savedViewer = viewer;
    admin = (await tokens.create('admin', 'rogue test')).token;
    viewer = (await tokens.create('viewer', 'rogue test')).token;
    let wiped = 0;
    const app = await createApi({
      store,
      tokens,
      dashboardDirectory: null,
      extend: (scope) => {
        scope.get('/api/rogue', { config: { openapi: { summary: 'Read the rogue counter' } } }, () => ({
          wiped,
        }));
        // A write someone forgot to protect: public, so the token check never runs.
        scope.post(
          '/api/rogue/wipe',
          { config: { public: true, openapi: { summary: 'Wipe everything', body: { type: 'object' } } } },
          () => ({ wiped: ++wiped }),
        );
        // A write someone opened to viewers on purpose, which the rule forbids.
        scope.post(
          '/api/rogue/bump',
          { config: { role: 'viewer', openapi: { summary: 'Bump the counter' } } },
          () => ({ wiped: ++wiped }),
        );
      },
    });
    try {
      const rogueDocument = (
        await app.inject({ method: 'GET', url: '/api/openapi.json' })
      ).json<OpenApiLike>();
      const problems = await authzProblems(app, rogueDocument);
      expect(problems).toEqual(
        expect.arrayContaining([
          'POST /api/rogue/wipe: changes state but is open to anyone',
          'POST /api/rogue/bump: changes state but is open to viewers',
          expect.stringMatching(/^POST \/api\/rogue\/bump .* changed what GET \/api\/rogue answers$/),
          expect.stringMatching(/^POST \/api\/rogue\/wipe .* changed what GET \/api\/rogue answers$/),
        ]),
      );
    } finally {
      admin = savedAdmin;
      viewer = savedViewer;
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('validation of every documented query and body', () => {
  it('refuses each bad input with 400 VALIDATION_FAILED naming the offending part, and changes nothing', async () => {
    const app = server.api;
    const before = await snapshot(app, operations);
    const problems: string[] = [];
    let cases = 0;
    for (const operation of operations) {
      const url = pathFor(operation, knownValue);
      const valid = bodyFor(document, operation);
      for (const bad of [...badQueries(document, operation), ...badBodies(document, operation)]) {
        cases += 1;
        const query = bad.query === undefined ? '' : `?${new URLSearchParams(bad.query).toString()}`;
        const answer = await call(
          app,
          operation.method,
          `${url}${query}`,
          admin,
          'body' in bad ? bad.body : valid,
        );
        const named = answer.details.some(
          (detail) =>
            detail.path === bad.path ||
            detail.path.startsWith(`${bad.path}.`) ||
            detail.path.startsWith(`${bad.path}[`) ||
            (bad.path === 'body' && detail.path.startsWith('body')),
        );
        if (answer.status !== 400 || answer.code !== 'VALIDATION_FAILED' || !named)
          problems.push(`${operation.label} with ${bad.why}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(60);
    expect(await snapshot(app, operations)).toEqual(before);
  });
});
