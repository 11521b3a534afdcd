import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store } from '@vigil/storage';
import { VigilApiError, VigilClient } from '@vigil/api-client';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from './create-api.js';

let dir: string;
let store: Store;
let api: FastifyInstance;
let baseUrl: string;
let admin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-client-'));
  store = await openSqliteStore({ dataDir: dir });
  const tokens = await TokenStore.open(dir);
  admin = (await tokens.create('admin', 'test')).token;
  api = await createApi({ store, tokens });
  baseUrl = await api.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the typed API client over real HTTP', () => {
  it('lists, reads and resolves an alert', async () => {
    const { alert } = await store.alerts.raise({
      typeId: 'Vigil_CryptoMiner',
      deviceId: 'hmi',
      key: '/tmp/x',
      occurrenceId: 'o1',
      severity: 'medium',
      title: 'Crypto coin miner',
      at: Date.now(),
    });
    const client = new VigilClient({ baseUrl, token: admin });
    const page = await client.listAlerts({ status: 'active' });
    expect(page.items.map((a) => a.id)).toEqual([alert.id]);
    const resolved = await client.resolveAlert(alert.id, 'reimaged');
    expect(resolved.status).toBe('resolved');
    expect((await client.getAlert(alert.id)).history.map((h) => h.action)).toEqual(['raised', 'resolved']);
  });

  it('turns refusals into VigilApiError with the code and every violation', async () => {
    const client = new VigilClient({ baseUrl, token: admin });
    const error = await client.listAlerts({ limit: 0, sort: 'nope' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((error as VigilApiError).details).toHaveLength(2);
    const anonymous = new VigilClient({ baseUrl, token: 'vgl_nope' });
    await expect(anonymous.posture()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});
