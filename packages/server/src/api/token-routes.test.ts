import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store } from '@vigil/storage';
import { TOKENS_FILE, TokenStore } from '../auth/tokens.js';
import { createApi } from './create-api.js';

let dir: string;
let store: Store;
let tokens: TokenStore;
let api: FastifyInstance;
let admin: string;
let adminId: string;
let logText = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-tokens-'));
  store = await openSqliteStore({ dataDir: dir });
  tokens = await TokenStore.open(dir);
  const created = await tokens.create('admin', 'first admin');
  admin = created.token;
  adminId = created.record.id;
  logText = '';
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    logText += chunk.toString('utf8');
  });
  api = await createApi({ store, tokens, dashboardDirectory: null, logging: { level: 'info', destination } });
});
afterEach(async () => {
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, body?: unknown) =>
  api.inject({
    method,
    url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });

describe('API token management', () => {
  it('creates a named viewer token whose secret is shown once, lists it without the secret, and revokes it', async () => {
    const created = await call('POST', '/api/tokens', admin, { name: 'grafana', role: 'viewer' });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; token: string; prefix: string; role: string; name: string }>();
    expect(body).toMatchObject({ name: 'grafana', role: 'viewer', lastUsedAt: null });
    expect(body.token).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    expect(body.token.startsWith(body.prefix)).toBe(true);
    expect(body.prefix).toHaveLength(8);

    // The new token works as a viewer: it reads, and its use is noted.
    expect((await call('GET', '/api/alerts', body.token)).statusCode).toBe(200);
    const write = await call('POST', '/api/tokens', body.token, { name: 'sneaky', role: 'admin' });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // Who has access is an admin's business: a viewer cannot even list the tokens.
    expect((await call('GET', '/api/tokens', body.token)).json()).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });

    const listed = await call('GET', '/api/tokens', admin);
    expect(listed.statusCode).toBe(200);
    const items = listed.json<{ items: Record<string, unknown>[] }>().items;
    expect(items.map((item) => [item.name, item.role])).toEqual([
      ['first admin', 'admin'],
      ['grafana', 'viewer'],
    ]);
    const grafana = items.find((item) => item.id === body.id)!;
    expect(Object.keys(grafana).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'role']);
    expect(typeof grafana.lastUsedAt).toBe('number');
    expect(listed.body).not.toContain(body.token);

    // Only the hash is on disk.
    await tokens.flush();
    const file = await readFile(join(dir, TOKENS_FILE), 'utf8');
    expect(file).not.toContain(body.token);
    expect(file).not.toContain(body.token.slice(8));

    const revoked = await call('DELETE', `/api/tokens/${body.id}`, admin);
    expect(revoked.statusCode).toBe(204);
    const refused = await call('GET', '/api/alerts', body.token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await call('DELETE', `/api/tokens/${body.id}`, admin)).json()).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });

    // Creation and revocation are in the log by id, the secret never.
    await api.close();
    const audit = logText
      .split('\n')
      .filter((line) => line.includes('"audit"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.map((entry) => [entry.audit, entry.tokenId, entry.by])).toEqual([
      ['token.created', body.id, adminId],
      ['token.revoked', body.id, adminId],
    ]);
    expect(logText).not.toContain(body.token);
    expect(logText).not.toContain(admin);
  });

  it('keeps an admin: the last admin token cannot be revoked, another admin token makes it possible', async () => {
    const last = await call('DELETE', `/api/tokens/${adminId}`, admin);
    expect(last.statusCode).toBe(409);
    expect(last.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await call('GET', '/api/tokens', admin)).statusCode).toBe(200);
    const second = (await call('POST', '/api/tokens', admin, { name: 'ops', role: 'admin' })).json<{
      token: string;
    }>();
    expect((await call('DELETE', `/api/tokens/${adminId}`, second.token)).statusCode).toBe(204);
    expect((await call('GET', '/api/tokens', admin)).statusCode).toBe(401);
    expect((await call('GET', '/api/tokens', second.token)).json<{ items: unknown[] }>().items).toHaveLength(
      1,
    );
  });

  it('lists every problem of a bad request with VALIDATION_FAILED and creates nothing', async () => {
    const bad = await call('POST', '/api/tokens', admin, { name: '', role: 'root', scope: 'all' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: [
          { path: 'body.scope', message: 'is not a field of this request' },
          { path: 'body.name' },
          { path: 'body.role', message: 'must be one of viewer, admin' },
        ],
      },
    });
    const longName = await call('POST', '/api/tokens', admin, { name: 'x'.repeat(65), role: 'viewer' });
    expect(longName.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await call('DELETE', '/api/tokens/not-an-id', admin)).json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'params.id' }] },
    });
    expect(tokens.list()).toHaveLength(1);
  });

  it('refuses a 101st token with CONFLICT', async () => {
    for (let i = 1; i < 100; i += 1) await tokens.create('viewer', `bulk ${i}`);
    const over = await call('POST', '/api/tokens', admin, { name: 'one too many', role: 'viewer' });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ error: { code: 'CONFLICT', message: /at most 100 tokens/ } });
    expect(tokens.list()).toHaveLength(100);
  });
});
