import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
let dir: string;
let publisher: Server;
let base: string;
let published = { status: 200, body: '' };

beforeAll(async () => {
  api = await startApiTestServer();
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-feeds-'));
  publisher = createServer((_request, response) => {
    response.writeHead(published.status, { 'content-type': 'text/plain' });
    response.end(published.body);
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api?.close();
  publisher?.closeAllConnections();
  await new Promise((resolve) => publisher?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('vigil feeds', () => {
  it('adds a file feed, lists it as a table and JSON, reloads it after a change, removes it', async () => {
    expect((await api.run(['feeds', 'list'])).out).toMatch(/^no threat-intel feeds/);
    const path = join(dir, 'blocklist.txt');
    await writeFile(path, '# drop list\n45.9.148.0/24\n192.168.0.0/16\n127.0.0.1\n');
    const added = await api.run(['feeds', 'add', 'drop', path]);
    expect([added.code, added.err]).toEqual([0, '']);
    expect(added.out).toBe('added feed drop: 1 entry, 2 set aside (loopback 1, private 1)\n');
    expect(api.server.threatIntel.lookup('45.9.148.7')?.feed).toBe('drop');

    const table = await api.run(['feeds', 'list'], { token: api.viewerToken });
    expect(table.out).toMatch(/^NAME\s+FORMAT\s+ENTRIES\s+SET ASIDE\s+LAST LOAD\s+STATE\s+SOURCE\n/);
    expect(table.out).toMatch(
      new RegExp(`\\ndrop\\s+plain\\s+1\\s+2\\s+\\d{4}-\\S+Z\\s+loaded\\s+${path}\\n`),
    );
    const json = JSON.parse((await api.run(['feeds', 'list', '--json'], { token: api.viewerToken })).out);
    expect(json.items).toMatchObject([{ name: 'drop', status: { entries: 1, setAside: 2 } }]);

    await writeFile(path, '45.9.148.0/24\n185.220.101.0/24\n');
    const reloaded = await api.run(['feeds', 'reload', 'drop']);
    expect([reloaded.code, reloaded.out]).toEqual([0, 'reloaded feed drop: 2 entries, 0 set aside\n']);
    expect(api.server.threatIntel.lookup('185.220.101.9')?.feed).toBe('drop');

    const removed = await api.run(['feeds', 'remove', 'drop']);
    expect([removed.code, removed.out]).toEqual([0, 'removed feed drop\n']);
    expect(api.server.threatIntel.lookup('45.9.148.7')).toBeUndefined();
  });

  it('adds a CSV feed from a loopback URL; a failed reload exits 1 and keeps the entries', async () => {
    published = { status: 200, body: 'first_seen,ip\n2024-01-01,203.0.113.8\n2024-01-02,91.92.93.94\n' };
    const added = await api.run(['feeds', 'add', 'c2', `${base}/c2.csv`, '--column', 'ip', '--json']);
    expect(JSON.parse(added.out)).toMatchObject({
      format: 'csv',
      column: 'ip',
      source: { type: 'url' },
      status: { state: 'loaded', entries: 1, setAside: 1, setAsideByReason: { documentation: 1 } },
    });
    published = { status: 503, body: 'maintenance' };
    const failed = await api.run(['feeds', 'reload', 'c2']);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(
      /^reloaded feed c2: load failed: HTTP_STATUS: GET .* answered 503 .*\(still matching the previous load: 1 entry/,
    );
    expect(api.server.threatIntel.lookup('91.92.93.94')?.feed).toBe('c2');
    expect((await api.run(['feeds', 'list'])).out).toMatch(/\nc2: HTTP_STATUS: /);
    await api.run(['feeds', 'remove', 'c2']);
  });

  it('prints every violation with its code, and refuses a viewer', async () => {
    const bad = await api.run(['feeds', 'add', 'bad', 'ftp://127.0.0.1/x', '--refresh', 'PT1S']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(bad.err).toContain(
      'body.source: must be an http:, https: or file: URL, not ftp: [FEED_SOURCE_INVALID]',
    );
    expect(bad.err).toContain('body.refreshInterval: ');
    expect(bad.err).toContain('[FEED_REFRESH_INVALID]');
    const usage = await api.run(['feeds', 'add', 'x', '/tmp/x', '--format', 'xml']);
    expect([usage.code, usage.err]).toEqual([2, expect.stringContaining('--format must be plain or csv')]);
    const asViewer = await api.run(['feeds', 'add', 'v', join(dir, 'v.txt')], { token: api.viewerToken });
    expect(asViewer.code).toBe(1);
    expect(asViewer.err).toContain('refused: FORBIDDEN (HTTP 403)');
    expect(JSON.parse((await api.run(['feeds', 'list', '--json'])).out).items).toEqual([]);
  });
});
