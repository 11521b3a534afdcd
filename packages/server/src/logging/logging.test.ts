import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '@vigil/storage';
import { decodeSecurityMessage } from '@vigil/protocol';
import { TokenStore } from '../auth/tokens.js';
import { createApi } from '../api/create-api.js';
import { startServer } from '../run/start-server.js';
import { logLevelFromEnvironment, redactUrl } from './logger-options.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-logging-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A destination that keeps every line written to it. */
function captureLines() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return {
    stream,
    text: () => text,
    entries: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('structured request logs', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openSqliteStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
  });

  it('write one JSON object per line for each request, and never the token', async () => {
    const tokens = await TokenStore.open(dir);
    const { token } = await tokens.create('admin', 'ops');
    const log = captureLines();
    const api = await createApi({
      store,
      tokens,
      dashboardDirectory: null,
      logging: { level: 'debug', destination: log.stream },
    });
    await api.inject({ method: 'GET', url: '/api/alerts', headers: { authorization: `Bearer ${token}` } });
    await api.inject({
      method: 'GET',
      url: `/api/alerts?token=${token}`,
      headers: { authorization: `Bearer ${token}`, cookie: `session=${token}` },
    });
    await api.inject({ method: 'GET', url: '/api/posture', headers: { authorization: `Bearer ${token}x` } });
    // A careless log call that hands a token over is redacted too.
    api.log.info({ token, request: { authorization: `Bearer ${token}` } }, 'careless');
    await api.close();
    const entries = log.entries();
    const completed = entries.filter((entry) => entry.msg === 'request completed');
    // Successes are debug (quiet at info), refused requests info, refused credentials warn.
    expect(completed.map((entry) => [entry.statusCode, entry.level])).toEqual([
      [200, 20],
      [400, 30],
      [401, 40],
    ]);
    expect(completed[1]).toMatchObject({
      method: 'GET',
      url: '/api/alerts?token=%5Bredacted%5D',
      route: '/api/alerts',
      role: 'admin',
    });
    expect(entries.some((entry) => entry.msg === 'incoming request')).toBe(false);
    expect(entries.find((entry) => entry.msg === 'careless')).toMatchObject({ token: '[redacted]' });
    expect(log.text()).not.toContain(token);
    expect(log.text()).not.toContain(token.slice(4, 20));
  });
});

describe('the server log', () => {
  it('records start and stop, serves metrics, and never shows the admin token shown once on first start', async () => {
    const log = captureLines();
    const server = await startServer({
      dataDir: dir,
      listeners: { mqtts: false, wss: false, mqtt: { port: 0, host: '127.0.0.1' } },
      api: { port: 0 },
      decode: decodeSecurityMessage,
      logger: { level: 'info', destination: log.stream },
    });
    const token = server.firstAdminToken!;
    expect(token).toMatch(/^vgl_/);
    const scrape = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scrape.status).toBe(200);
    const metrics = await scrape.text();
    expect(metrics).toMatch(/^vigil_hub_connected_devices 0$/m);
    expect(metrics).toMatch(/^vigil_metrics_source_up\{source="analytics"\} 1$/m);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    process.emitWarning('operations queue is full', 'VigilHubWarning');
    await new Promise((resolve) => setImmediate(resolve));
    await server.stop();
    const messages = log.entries().map((entry) => entry.msg);
    const started = messages.indexOf('vigil started');
    const stopping = messages.indexOf(
      'vigil stopping: hub first, then analytics drains, then the API and the database',
    );
    expect(started).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('operations queue is full')).toBeGreaterThan(started);
    expect(stopping).toBeGreaterThan(started);
    expect(messages.at(-1)).toBe('vigil stopped');
    expect(log.entries()[started]).toMatchObject({ url: server.url, database: 'sqlite' });
    expect(log.entries().find((entry) => entry.msg === 'operations queue is full')).toMatchObject({
      level: 40,
      source: 'VigilHubWarning',
    });
    expect(log.text()).not.toContain(token);
  });
});

describe('log settings', () => {
  it('reads VIGIL_LOG_LEVEL and refuses an unknown level; blanks credential query parameters', () => {
    expect(logLevelFromEnvironment({ VIGIL_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevelFromEnvironment({})).toBeUndefined();
    expect(() => logLevelFromEnvironment({ VIGIL_LOG_LEVEL: 'loud' })).toThrow(/one of fatal, error/);
    expect(redactUrl('/api/x?sig=abc&limit=2')).toBe('/api/x?sig=%5Bredacted%5D&limit=2');
    expect(redactUrl('/api/x?limit=2')).toBe('/api/x?limit=2');
  });
});
