import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store } from '@vigil/storage';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from './create-api.js';

let dir: string;
let store: Store;
let api: FastifyInstance;
let admin: string;
let viewer: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-groups-'));
  store = await openSqliteStore({ dataDir: dir });
  const tokens = await TokenStore.open(dir);
  admin = (await tokens.create('admin', 'a')).token;
  viewer = (await tokens.create('viewer', 'v')).token;
  api = await createApi({ store, tokens, dashboardDirectory: null });
});
afterEach(async () => {
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const put = (name: string, payload: unknown, token = admin, headers: Record<string, string> = {}) =>
  api.inject({
    method: 'PUT',
    url: `/api/security-groups/${name}`,
    headers: { authorization: `Bearer ${token}`, ...headers },
    payload: payload as object,
  });

describe('security groups API', () => {
  it('shows the default group with every rule disabled at 0/0 over PT15M', async () => {
    const response = await api.inject({
      method: 'GET',
      url: '/api/security-groups/default',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(response.statusCode).toBe(200);
    const rules = response.json().rules as {
      ruleId: string;
      enabled: boolean;
      kind: string;
      min?: number;
      max?: number;
      window?: string;
      displayName: string;
    }[];
    expect(rules.length).toBe(12);
    expect(rules.every((rule) => !rule.enabled)).toBe(true);
    expect(rules.find((rule) => rule.ruleId === 'ActiveConnectionsNotInAllowedRange')).toMatchObject({
      min: 0,
      max: 0,
      window: 'PT15M',
      displayName: 'Number of active connections is not in allowed range',
    });
  });

  it('updates one rule, keeps the others, and enforces the etag', async () => {
    const first = await put('default', {
      rules: [
        { ruleId: 'ActiveConnectionsNotInAllowedRange', enabled: true, min: 0, max: 30, window: 'PT5M' },
      ],
    });
    expect(first.statusCode).toBe(200);
    const stored = await store.securityGroups.get('default');
    expect(stored?.rules.find((rule) => rule.ruleId === 'ActiveConnectionsNotInAllowedRange')).toMatchObject({
      enabled: true,
      max: 30,
    });
    expect(stored?.rules).toHaveLength(12);
    const stale = await put('default', { rules: [] }, admin, { 'if-match': 'not-the-etag' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('PRECONDITION_FAILED');
    const fresh = await put('default', { rules: [] }, admin, { 'if-match': first.json().etag as string });
    expect(fresh.statusCode).toBe(200);
  });

  it('lists every invalid field of every rule, and changes nothing', async () => {
    const response = await put('plant-a', {
      rules: [
        {
          ruleId: 'ActiveConnectionsNotInAllowedRange',
          enabled: 'yes',
          min: 5,
          max: 2,
          window: 'fifteen minutes',
        },
        { ruleId: 'ConnectionToIpNotAllowed', enabled: true, values: ['10.0.0.0/8', 'not-an-ip'] },
        { ruleId: 'NoSuchRule', enabled: true },
      ],
      extra: 1,
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual([
      'body.extra',
      'body.rules[0].enabled',
      'body.rules[0].max',
      'body.rules[0].window',
      'body.rules[1].values[1]',
      'body.rules[2].ruleId',
    ]);
    expect(await store.securityGroups.get('plant-a')).toBeUndefined();
  });

  it('creates and deletes groups; default cannot be deleted; viewers cannot write', async () => {
    expect((await put('plant-a', { rules: [] })).statusCode).toBe(200);
    expect((await put('plant-b', { rules: [] }, viewer)).statusCode).toBe(403);
    const del = (name: string) =>
      api.inject({
        method: 'DELETE',
        url: `/api/security-groups/${name}`,
        headers: { authorization: `Bearer ${admin}` },
      });
    expect((await del('plant-a')).statusCode).toBe(204);
    expect((await del('plant-a')).statusCode).toBe(404);
    expect((await del('default')).json().error.code).toBe('CONFLICT');
  });
});
