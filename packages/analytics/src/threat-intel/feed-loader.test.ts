import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ThreatIntelFeedConfig } from '@vigil/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreatIntelLookup } from '../index.js';
import { createFeedLoader, toLoadRecord, type FeedLoadReport, type FeedLoaderTimers } from './feed-loader.js';

/** Timers that fire only when the test says so. */
class ManualTimers implements FeedLoaderTimers {
  private next = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): number {
    const handle = this.next++;
    this.pending.set(handle, { callback, ms });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires every pending timer set for `ms`; returns how many fired. */
  fire(ms: number): number {
    const due = [...this.pending].filter(([, timer]) => timer.ms === ms);
    for (const [handle, timer] of due) {
      this.pending.delete(handle);
      timer.callback();
    }
    return due.length;
  }
  delays(): number[] {
    return [...this.pending.values()].map((timer) => timer.ms).sort((a, b) => a - b);
  }
}

/** A clock that advances 7 ms whenever it is read. */
const steppingClock = (): { now(): number } => {
  let t = 1_700_000_000_000;
  return { now: () => (t += 7) };
};

let server: Server;
let base: string;
const routes = new Map<string, { status: number; body: string }>();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-feeds-'));
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/hang') return; // never answers
    if (path === '/declared-huge') {
      response.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      response.write('1.1.1.1\n');
      return; // the client must give up on the header alone
    }
    if (path === '/endless') {
      // Chunked, no Content-Length: only counting the stream catches it.
      response.writeHead(200, { 'content-type': 'text/plain' });
      const line = '9.9.9.9\n'.repeat(1024);
      const pump = (): void => {
        while (!response.destroyed && response.write(line));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
      return;
    }
    const route = routes.get(path);
    response.writeHead(route?.status ?? 404, { 'content-type': 'text/plain' });
    response.end(route?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function urlFeed(
  name: string,
  path: string,
  extra: Partial<ThreatIntelFeedConfig> = {},
): ThreatIntelFeedConfig {
  return {
    name,
    source: { type: 'url', location: `${base}${path}` },
    format: { type: 'list' },
    internal: false,
    refreshIntervalMs: 60_000,
    ...extra,
  };
}

describe('FeedLoader', () => {
  it('loads URL and file feeds, reports counts and load time, and serves lookups', async () => {
    const body = '# c2\n45.9.148.0/24\n10.0.0.0/8\nbogus\n';
    routes.set('/c2.txt', { status: 200, body });
    const file = join(dir, 'lan.csv');
    writeFileSync(file, '\ufeffip,owner\n10.1.2.3,printer\n');
    const reports: FeedLoadReport[] = [];
    const loader = createFeedLoader({
      feeds: [
        urlFeed('c2', '/c2.txt'),
        {
          ...urlFeed('lan', ''),
          source: { type: 'file', location: pathToFileURL(file).href },
          format: { type: 'csv', column: 'ip' },
          internal: true,
        },
      ],
      clock: steppingClock(),
      timers: new ManualTimers(),
      onLoad: (report) => reports.push(report),
    });
    const loaded = await loader.load();
    expect(loaded.map((r) => [r.feed, r.ok])).toEqual([
      ['c2', true],
      ['lan', true],
    ]);
    // The clock steps 7 ms per reading; the two loads run concurrently, so each spans one or more steps.
    for (const report of loaded) expect(report.durationMs % 7 === 0 && report.durationMs >= 7).toBe(true);
    expect(loaded[0]).toMatchObject({
      bytes: Buffer.byteLength(body),
      parse: { entries: 1, setAside: 1, setAsideByReason: { private: 1 }, invalid: 1, errors: [{ line: 4 }] },
    });
    expect(reports).toHaveLength(2);
    expect(loader.lookup('45.9.148.108')).toMatchObject({ feed: 'c2', entry: '45.9.148.0/24', line: 2 });
    expect(loader.lookup('10.1.2.3')).toMatchObject({ feed: 'lan', internal: true, line: 2 });
    expect(loader.lookup('10.1.2.4')).toBeUndefined();
    expect(toLoadRecord(loaded[0]!)).toEqual({ at: loaded[0]!.at, entryCount: 1, setAside: 1 });
    // The loader is what the detectors and the runner take as their threat-intelligence lookup.
    const asDetectorsSeeIt: ThreatIntelLookup = loader;
    expect(asDetectorsSeeIt.lookup('45.9.148.1')).toMatchObject({ feed: 'c2', entry: '45.9.148.0/24' });
  });

  it('reports a 404, a bad scheme and a missing file without matching anything', async () => {
    const loader = createFeedLoader({
      feeds: [
        urlFeed('gone', '/missing.txt'),
        { ...urlFeed('ftp', ''), source: { type: 'url', location: 'ftp://127.0.0.1/x' } },
        { ...urlFeed('nofile', ''), source: { type: 'file', location: join(dir, 'absent.txt') } },
      ],
      timers: new ManualTimers(),
    });
    const reports = await loader.load();
    expect(reports.map((r) => [r.ok, r.error?.code, r.keptLastGood])).toEqual([
      [false, 'HTTP_STATUS', false],
      [false, 'BAD_SOURCE', false],
      [false, 'READ_FAILED', false],
    ]);
    expect(reports[0]!.error!.message).toContain('404');
    expect(toLoadRecord(reports[0]!).error).toMatch(/^HTTP_STATUS: /);
    expect(loader.index.stats().entries).toBe(0);
  });

  it('refuses bodies over the byte limit: by Content-Length, by counting a chunked stream, by file size', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, '8.8.8.8\n'.repeat(1000));
    const loader = createFeedLoader({
      feeds: [
        urlFeed('declared', '/declared-huge'),
        urlFeed('endless', '/endless'),
        { ...urlFeed('file', ''), source: { type: 'file', location: big } },
      ],
      limits: { maxFeedBytes: 4096 },
      timers: new ManualTimers(),
    });
    const reports = await loader.load();
    expect(reports.map((r) => r.error?.code)).toEqual(['TOO_LARGE', 'TOO_LARGE', 'TOO_LARGE']);
    expect(reports[1]!.error!.message).toContain('sent more than 4096 bytes');
  });

  it('gives up on a server that does not answer when the timeout fires', async () => {
    const timers = new ManualTimers();
    const loader = createFeedLoader({
      feeds: [urlFeed('slow', '/hang')],
      limits: { timeoutMs: 1234 },
      timers,
    });
    const pending = loader.load();
    // Wait until the request is on the wire, then let the timeout fire.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timers.fire(1234)).toBe(1);
    const [report] = await pending;
    expect(report).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
  });

  it('keeps the last good entries when a reload fails, and swaps in new ones when it succeeds', async () => {
    routes.set('/rotating.txt', { status: 200, body: '1.2.3.0/24\n' });
    const timers = new ManualTimers();
    const reports: FeedLoadReport[] = [];
    const loader = createFeedLoader({
      feeds: [urlFeed('rotating', '/rotating.txt', { refreshIntervalMs: 300_000 })],
      timers,
      onLoad: (report) => reports.push(report),
    });
    const reloaded = async (): Promise<FeedLoadReport> => {
      const before = reports.length;
      expect(timers.fire(300_000)).toBe(1);
      await expect.poll(() => reports.length).toBe(before + 1);
      return reports[before]!;
    };

    await loader.start();
    expect(timers.delays()).toEqual([300_000]);
    expect(loader.lookup('1.2.3.4')?.feed).toBe('rotating');
    const first = loader.index;

    routes.set('/rotating.txt', { status: 503, body: 'down' });
    expect(await reloaded()).toMatchObject({ ok: false, keptLastGood: true, error: { code: 'HTTP_STATUS' } });
    expect(loader.index).toBe(first);
    expect(loader.lookup('1.2.3.4')?.feed).toBe('rotating');

    routes.set('/rotating.txt', { status: 200, body: 'garbage\nmore garbage\n' });
    expect(await reloaded()).toMatchObject({
      ok: false,
      keptLastGood: true,
      error: { code: 'NO_VALID_ENTRIES' },
    });
    expect(loader.lookup('1.2.3.4')?.feed).toBe('rotating');

    routes.set('/rotating.txt', { status: 200, body: '5.6.7.8\n' });
    expect(await reloaded()).toMatchObject({ ok: true, unchanged: false, parse: { entries: 1 } });
    await expect.poll(() => loader.lookup('5.6.7.8')?.entry).toBe('5.6.7.8');
    expect(loader.lookup('1.2.3.4')).toBeUndefined();
    expect(loader.status()).toEqual([{ feed: 'rotating', last: reports.at(-1) }]);

    // The same body again: reported, but neither re-parsed nor rebuilt.
    const current = loader.index;
    expect(await reloaded()).toMatchObject({ ok: true, unchanged: true, parse: { entries: 1 } });
    expect(loader.index).toBe(current);

    loader.stop();
    expect(timers.delays()).toEqual([]);
  });

  it('never reloads faster than the minimum interval, survives a failing listener, refuses duplicate names', async () => {
    routes.set('/eager.txt', { status: 200, body: '1.2.3.4\n' });
    const timers = new ManualTimers();
    const loader = createFeedLoader({
      feeds: [urlFeed('eager', '/eager.txt', { refreshIntervalMs: 0 })],
      timers,
      onLoad: () => {
        throw new Error('a listener that fails');
      },
    });
    const [report] = await loader.start();
    expect(report).toMatchObject({ ok: true });
    expect(timers.delays()).toEqual([60_000]);
    loader.stop();
    expect(() => createFeedLoader({ feeds: [urlFeed('a', '/x'), urlFeed('a', '/y')] })).toThrow(/unique: a/);
  });

  it('takes a new feed list while running: adds, redefines and removes feeds, one index swap each', async () => {
    routes.set('/one.txt', { status: 200, body: '1.1.1.0/24\n' });
    routes.set('/two.txt', { status: 200, body: '2.2.2.2\n10.9.9.9\n' });
    const timers = new ManualTimers();
    const loader = createFeedLoader({
      feeds: [urlFeed('one', '/one.txt', { refreshIntervalMs: 120_000 })],
      timers,
    });
    await loader.start();
    const first = loader.index;
    const two = urlFeed('two', '/two.txt', { refreshIntervalMs: 180_000 });
    const one = urlFeed('one', '/one.txt', { refreshIntervalMs: 120_000 });
    const added = await loader.configure([{ ...one }, two]);
    // Only the new feed loaded; the unchanged one kept its entries and schedule.
    expect(added.map((r) => [r.feed, r.ok, r.parse?.entries, r.parse?.setAside])).toEqual([
      ['two', true, 1, 1],
    ]);
    expect(loader.index).not.toBe(first);
    expect(loader.lookup('1.1.1.1')?.feed).toBe('one');
    expect(loader.lookup('2.2.2.2')?.feed).toBe('two');
    expect(loader.lookup('10.9.9.9')).toBeUndefined();
    expect(timers.delays()).toEqual([120_000, 180_000]);

    // Redefined as internal: the same body re-parses, and the private entry now matches.
    const [redefined] = await loader.configure([one, { ...two, internal: true }]);
    expect(redefined).toMatchObject({ feed: 'two', ok: true, unchanged: false, parse: { entries: 2 } });
    expect(loader.lookup('10.9.9.9')).toMatchObject({ feed: 'two', internal: true });

    // Redefined to a source that fails: the error is reported and the last good entries stay.
    const [broken] = await loader.configure([
      one,
      { ...two, source: { type: 'url', location: `${base}/missing.txt` } },
    ]);
    expect(broken).toMatchObject({
      feed: 'two',
      ok: false,
      keptLastGood: true,
      error: { code: 'HTTP_STATUS' },
    });
    expect(loader.lookup('2.2.2.2')?.feed).toBe('two');

    // Removed: its entries leave the index, its schedule is cancelled, and its status is gone.
    expect(await loader.configure([one])).toEqual([]);
    expect(loader.lookup('2.2.2.2')).toBeUndefined();
    expect(loader.lookup('1.1.1.1')?.feed).toBe('one');
    expect(loader.status().map((s) => s.feed)).toEqual(['one']);
    expect(timers.delays()).toEqual([120_000]);
    await expect(loader.configure([urlFeed('a', '/x'), urlFeed('a', '/y')])).rejects.toThrow(/unique: a/);
    loader.stop();
  });
});
