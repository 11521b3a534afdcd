import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '@vigil/storage';
import { createAnalyticsRunner } from '../runner/runner.js';
import type { SecurityMessageDecoder } from '../runner/device-record.js';
import { createAlertExporter, exportOnAlert } from './alert-exporter.js';
import type { WebhookPayload } from './webhook-payload.js';

const T = Date.UTC(2026, 10, 22, 12);
const refuseAll: SecurityMessageDecoder = () => ({
  ok: false,
  error: { code: 'MALFORMED_JSON', message: 'no' },
});

let dir: string;
let store: Store;
let server: Server;
let url: string;
const received: WebhookPayload[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-export-'));
  store = await openSqliteStore({ dataDir: dir });
  received.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString()) as WebhookPayload);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const operation = (body: object) => ({
  kind: 'operation' as const,
  deviceId: '$hub',
  receivedAt: T,
  body: Buffer.from(JSON.stringify(body)),
});
const sasExpired = (at: number) =>
  operation({
    operation: 'authenticationFailed',
    at,
    outcome: 'failure',
    deviceId: 'cam',
    reason: 'sasExpired',
  });

describe('analytics runner feeding the alert exporter', () => {
  it('exports each new alert once as created, merges as updated, and nothing for a replayed record', async () => {
    const exporter = createAlertExporter({ destinations: [{ kind: 'webhook', url }] });
    const onAlert = exportOnAlert(exporter);
    await store.ingestLog.append([
      operation({ operation: 'certificateAdded', at: T, outcome: 'success', details: { name: 'fleet-ca' } }),
      sasExpired(T),
      operation({ operation: 'connect', at: T, outcome: 'success', deviceId: 'cam' }),
    ]);
    await createAnalyticsRunner({ store, decode: refuseAll, group: 'first', onAlert }).processAvailable();
    // A second consumer group re-reads the very same records, as a crash before commit would.
    await createAnalyticsRunner({ store, decode: refuseAll, group: 'replay', onAlert }).processAvailable();
    await expect.poll(() => received.length).toBe(2);

    const alerts = await store.alerts.list();
    expect(received.map((p) => [p.event, p.alert.typeId, p.alert.deviceId]).sort()).toEqual([
      ['created', 'IoT_CertificateSuccessfullyAddedToHub', ''],
      ['created', 'IoT_Expired_SAS_Token', 'cam'],
    ]);
    expect(received.map((p) => p.alert.id).sort()).toEqual(alerts.map((a) => a.id).sort());

    await store.ingestLog.append([sasExpired(T + 60_000)]);
    await createAnalyticsRunner({ store, decode: refuseAll, group: 'first', onAlert }).processAvailable();
    await exporter.close();
    expect(received).toHaveLength(3);
    expect(received[2]).toMatchObject({
      event: 'updated',
      alert: { typeId: 'IoT_Expired_SAS_Token', deviceId: 'cam', occurrences: 2 },
    });
  });

  it('a throwing hook is reported and does not fail the record', async () => {
    const errors: unknown[] = [];
    await store.ingestLog.append([sasExpired(T)]);
    const runner = createAnalyticsRunner({
      store,
      decode: refuseAll,
      onAlert: () => {
        throw new Error('exporter bug');
      },
      onError: (e) => errors.push(e),
    });
    expect(await runner.processAvailable()).toBe(1);
    expect(runner.stats()).toMatchObject({ alertsCreated: 1, failedRecords: 0 });
    expect(errors.map((e) => (e as Error).message)).toEqual(['exporter bug']);
    expect(await store.alerts.count()).toBe(1);
  });
});
