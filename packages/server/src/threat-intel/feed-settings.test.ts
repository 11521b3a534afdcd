import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSecurityMessage } from '@vigil/protocol';
import { resolveServerSettings, ServerConfigError } from '../run/server-config.js';
import { startServer } from '../run/start-server.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-feed-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(content: unknown): Promise<string> {
  const file = join(dir, 'vigil.json');
  await writeFile(file, JSON.stringify(content));
  return file;
}

describe('the threatIntel section of the server configuration', () => {
  it('declares feeds in the shape the store and loader take', async () => {
    const file = await configFile({
      threatIntel: {
        feeds: [
          {
            name: 'firehol',
            source: 'https://iplists.firehol.org/files/firehol_level1.netset',
            format: 'plain',
          },
          {
            name: 'lab',
            source: '/etc/vigil/lab-ranges.csv',
            format: 'csv',
            column: '0',
            internal: true,
            refreshInterval: 'PT10M',
          },
        ],
      },
    });
    const settings = await resolveServerSettings({ file });
    expect(settings.threatIntel?.feeds).toEqual([
      {
        name: 'firehol',
        source: { type: 'url', location: 'https://iplists.firehol.org/files/firehol_level1.netset' },
        format: { type: 'list' },
        internal: false,
        refreshIntervalMs: 3_600_000,
      },
      {
        name: 'lab',
        source: { type: 'file', location: '/etc/vigil/lab-ranges.csv' },
        format: { type: 'csv', column: 0 },
        internal: true,
        refreshIntervalMs: 600_000,
      },
    ]);
    expect((await resolveServerSettings({})).threatIntel).toBeUndefined();
  });

  it('lists every violation of every feed, with the file and the feed in its path', async () => {
    const file = await configFile({
      apiPort: 'eighty',
      threatIntel: {
        feeds: [
          { name: 'ok', source: '/srv/ok.txt', format: 'plain' },
          { name: 'ok', source: '/srv/again.txt', format: 'plain' },
          { name: 'bad name', source: 'feeds/relative.txt', format: 'csv' },
          'not a feed',
        ],
        refresh: 'daily',
      },
    });
    const error = await resolveServerSettings({ file }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ServerConfigError);
    const violations = (error as ServerConfigError).violations;
    expect(violations.map((v) => [v.path, v.code])).toEqual([
      [`${file}: apiPort`, undefined],
      [`${file}: threatIntel.refresh`, undefined],
      [`${file}: threatIntel.feeds[1].name`, 'FEED_NAME_DUPLICATE'],
      [`${file}: threatIntel.feeds[2].name`, 'FEED_NAME_INVALID'],
      [`${file}: threatIntel.feeds[2].source`, 'FEED_SOURCE_INVALID'],
      [`${file}: threatIntel.feeds[2].column`, 'FEED_COLUMN_INVALID'],
      [`${file}: threatIntel.feeds[3]`, 'FEED_NOT_AN_OBJECT'],
    ]);
    expect((error as Error).message).toContain('threatIntel.feeds[2].source: must be an absolute file path');
    await writeFile(file, JSON.stringify({ threatIntel: { feeds: 'all of them' } }));
    await expect(resolveServerSettings({ file })).rejects.toThrow(/threatIntel\.feeds: must be a list/);
  });

  it('a running server loads the declared feeds, shows them as config feeds and refuses API changes to them', async () => {
    const feedPath = join(dir, 'declared.txt');
    await writeFile(feedPath, '91.92.93.0/24\n172.16.0.0/12\n');
    const file = await configFile({
      threatIntel: { feeds: [{ name: 'declared', source: feedPath, format: 'plain' }] },
    });
    const settings = await resolveServerSettings({ file, flags: { dataDir: join(dir, 'data') } });
    const server = await startServer({
      dataDir: settings.dataDir,
      listeners: { mqtts: false, wss: false, mqtt: { port: 0, host: '127.0.0.1' } },
      api: { port: 0 },
      decode: decodeSecurityMessage,
      logger: false,
      threatIntelFeeds: settings.threatIntel!.feeds,
    });
    try {
      expect(server.threatIntel.lookup('91.92.93.94')?.feed).toBe('declared');
      const headers = { authorization: `Bearer ${server.firstAdminToken!}` };
      const listed = await fetch(`${server.url}/api/threat-intel/feeds`, { headers });
      expect(await listed.json()).toMatchObject({
        items: [{ name: 'declared', origin: 'config', status: { state: 'loaded', entries: 1, setAside: 1 } }],
      });
      const removed = await fetch(`${server.url}/api/threat-intel/feeds/declared`, {
        method: 'DELETE',
        headers,
      });
      expect(removed.status).toBe(409);
      expect(server.threatIntel.lookup('91.92.93.94')?.feed).toBe('declared');
    } finally {
      await server.stop();
    }
  });
});
