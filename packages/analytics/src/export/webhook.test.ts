import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertExporter } from './alert-exporter.js';
import { testAlert } from './test-alert.js';
import type { AlertExportFailure } from './types.js';

interface Received {
  readonly at: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Starts a loopback HTTP server that records every request and answers through `respond`. */
async function startReceiver(respond: (index: number, res: ServerResponse) => void) {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ at: performance.now(), headers: req.headers, body: Buffer.concat(chunks).toString() });
      respond(received.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/vigil`, received };
}

const answer = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
  res.writeHead(status, headers);
  res.end();
};

describe('webhook export', () => {
  it('retries 503s with growing backoff, then delivers the signed JSON document', async () => {
    const { url, received } = await startReceiver((i, res) => answer(res, i < 2 ? 503 : 204));
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [
        {
          kind: 'webhook',
          url,
          secret: 's3cret',
          headers: { authorization: 'Bearer t' },
          retry: { baseDelayMs: 40 },
        },
      ],
      clock: { now: () => Date.UTC(2026, 10, 22, 13) },
      random: () => 0.5,
      onError: (f) => failures.push(f),
    });
    exporter.export(testAlert(), 'created');
    await exporter.close({ deadlineMs: 5_000 });

    expect(received).toHaveLength(3);
    expect(failures).toEqual([]);
    expect(exporter.stats()[0]).toMatchObject({ delivered: 1, retries: 2, failed: 0, dropped: 0 });
    // Equal jitter with random 0.5: 30 ms after the first failure, 60 ms after the second.
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(28);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(58);
    const deliveryIds = new Set(received.map((r) => r.headers['x-vigil-delivery']));
    expect(deliveryIds.size).toBe(1);

    const last = received[2]!;
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers.authorization).toBe('Bearer t');
    const expected = `sha256=${createHmac('sha256', 's3cret').update(last.body).digest('hex')}`;
    expect(last.headers['x-vigil-signature']).toBe(expected);
    expect(JSON.parse(last.body)).toEqual({
      event: 'created',
      deliveryId: [...deliveryIds][0],
      sentAt: '2026-11-22T13:00:00.000Z',
      alert: {
        id: 42,
        typeId: 'IoT_Expired_SAS_Token',
        title: 'Expired SAS token',
        severity: 'high',
        deviceId: 'cam-7',
        status: 'active',
        firstSeenAt: '2026-11-22T12:00:00.000Z',
        lastSeenAt: '2026-11-22T12:05:00.000Z',
        occurrences: 3,
        evidence: [{ operation: 'authenticationFailed', reason: 'sasExpired' }],
        remediation: ['Issue the device a fresh SAS token.'],
      },
    });
  });

  it('gives up on an endpoint that never answers after the per-request timeout and reports it', async () => {
    const { url, received } = await startReceiver(() => undefined);
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [{ kind: 'webhook', url, timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 10 } }],
      onError: (f) => failures.push(f),
    });
    const started = performance.now();
    exporter.export(testAlert({ id: 7 }), 'updated');
    await exporter.close({ deadlineMs: 5_000 });

    expect(received).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(failures).toEqual([
      {
        destination: `webhook ${new URL(url).origin}`,
        reason: 'gave-up',
        alertId: 7,
        typeId: 'IoT_Expired_SAS_Token',
        event: 'updated',
        attempts: 2,
        detail: 'timeout after 150 ms',
      },
    ]);
    expect(exporter.stats()[0]).toMatchObject({ delivered: 0, failed: 1, retries: 1 });
  });

  it('waits as long as Retry-After says on a 429', async () => {
    const { url, received } = await startReceiver((i, res) =>
      i === 0 ? answer(res, 429, { 'retry-after': '1' }) : answer(res, 200),
    );
    const exporter = createAlertExporter({
      destinations: [{ kind: 'webhook', url, retry: { baseDelayMs: 5 } }],
    });
    exporter.export(testAlert(), 'created');
    await exporter.close();
    expect(received).toHaveLength(2);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('does not retry a permanent refusal (400)', async () => {
    const { url, received } = await startReceiver((_i, res) => answer(res, 400));
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [{ kind: 'webhook', url, retry: { baseDelayMs: 5 } }],
      onError: (f) => failures.push(f),
    });
    exporter.export(testAlert(), 'created');
    await exporter.close();
    expect(received).toHaveLength(1);
    expect(failures.map((f) => [f.reason, f.attempts, f.detail])).toEqual([['rejected', 1, 'HTTP 400']]);
  });

  it('drops and counts events beyond the queue bound without blocking or throwing', async () => {
    const pending: ServerResponse[] = [];
    const { url, received } = await startReceiver((_i, res) => pending.push(res));
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [{ kind: 'webhook', url, maxQueue: 2 }],
      onError: (f) => {
        failures.push(f);
        throw new Error('a listener bug must not reach the caller');
      },
    });
    const started = performance.now();
    // The first leaves at once; two wait; the fourth and fifth find the queue full.
    for (let id = 1; id <= 5; id += 1) exporter.export(testAlert({ id }), 'created');
    // The server has not answered anything yet: a blocking export would still be waiting.
    expect(performance.now() - started).toBeLessThan(200);
    expect(failures.map((f) => [f.reason, f.alertId])).toEqual([
      ['queue-full', 4],
      ['queue-full', 5],
    ]);
    await expect.poll(() => received.length).toBe(1);
    const release = setInterval(() => pending.shift()?.writeHead(200).end(), 10);
    await exporter.close();
    clearInterval(release);
    expect(received.map((r) => (JSON.parse(r.body) as { alert: { id: number } }).alert.id)).toEqual([
      1, 2, 3,
    ]);
    expect(exporter.stats()[0]).toMatchObject({ delivered: 3, dropped: 2, queued: 0 });
  });

  it('folds events of an alert still waiting into one carrying the newest snapshot', async () => {
    const pending: ServerResponse[] = [];
    const { url, received } = await startReceiver((_i, res) => pending.push(res));
    const exporter = createAlertExporter({ destinations: [{ kind: 'webhook', url }] });
    exporter.export(testAlert({ id: 1 }), 'created');
    exporter.export(testAlert({ id: 2, occurrences: 1, updatedAt: 1 }), 'created');
    for (let n = 2; n <= 6; n += 1)
      exporter.export(testAlert({ id: 2, occurrences: n, updatedAt: n }), 'updated');
    expect(exporter.stats()[0]).toMatchObject({ queued: 1, coalesced: 5, dropped: 0 });
    await expect.poll(() => received.length).toBe(1);
    const release = setInterval(() => pending.shift()?.writeHead(200).end(), 10);
    await exporter.close();
    clearInterval(release);
    const bodies = received.map(
      (r) => JSON.parse(r.body) as { event: string; alert: { id: number; occurrences: number } },
    );
    expect(bodies.map((b) => [b.alert.id, b.event, b.alert.occurrences])).toEqual([
      [1, 'created', 3],
      [2, 'created', 6],
    ]);
  });

  it('a dismissal is never folded: the waiting created event and the dismissal both arrive, in order', async () => {
    const pending: ServerResponse[] = [];
    const { url, received } = await startReceiver((_i, res) => pending.push(res));
    const exporter = createAlertExporter({ destinations: [{ kind: 'webhook', url }] });
    exporter.export(testAlert({ id: 1 }), 'created');
    exporter.export(testAlert({ id: 2, updatedAt: 1 }), 'created');
    exporter.export(testAlert({ id: 2, status: 'dismissed', updatedAt: 2 }), 'dismissed');
    // An occurrence counted after the dismissal was queued must not fold into it.
    exporter.export(testAlert({ id: 2, occurrences: 9, updatedAt: 3 }), 'updated');
    expect(exporter.stats()[0]).toMatchObject({ queued: 3, coalesced: 0 });
    await expect.poll(() => received.length).toBe(1);
    const release = setInterval(() => pending.shift()?.writeHead(200).end(), 10);
    await exporter.close();
    clearInterval(release);
    const bodies = received.map(
      (r) => JSON.parse(r.body) as { event: string; alert: { id: number; status: string } },
    );
    expect(bodies.map((b) => [b.alert.id, b.event, b.alert.status])).toEqual([
      [1, 'created', 'active'],
      [2, 'created', 'active'],
      [2, 'dismissed', 'dismissed'],
      [2, 'updated', 'active'],
    ]);
  });

  it('close abandons what it cannot deliver by the deadline and reports each as closed', async () => {
    const { url } = await startReceiver(() => undefined);
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [{ kind: 'webhook', url, timeoutMs: 10_000 }],
      onError: (f) => failures.push(f),
    });
    exporter.export(testAlert({ id: 1 }), 'created');
    exporter.export(testAlert({ id: 2 }), 'created');
    const started = performance.now();
    await exporter.close({ deadlineMs: 200 });
    expect(performance.now() - started).toBeLessThan(2_000);
    exporter.export(testAlert({ id: 3 }), 'created');
    expect(failures.map((f) => [f.reason, f.alertId, f.attempts])).toEqual([
      ['closed', 1, 1],
      ['closed', 2, 0],
      ['closed', 3, 0],
    ]);
  });
});

describe('destination names', () => {
  it('name a webhook by its origin only (its path may be its token), number repeats, and keep given names', async () => {
    const failures: AlertExportFailure[] = [];
    // Nothing listens on port 9 of the loopback: every attempt is refused at once.
    const exporter = createAlertExporter({
      destinations: [
        { kind: 'webhook', url: 'http://127.0.0.1:9/services/T0/B0/s3cr3tT0ken', retry: { maxAttempts: 1 } },
        { kind: 'webhook', url: 'http://127.0.0.1:9/other/s3cr3tT0ken', retry: { maxAttempts: 1 } },
        { kind: 'webhook', url: 'http://127.0.0.1:9/x', name: 'chat-ops', retry: { maxAttempts: 1 } },
      ],
      onError: (f) => failures.push(f),
    });
    expect(exporter.stats().map((s) => s.destination)).toEqual([
      'webhook http://127.0.0.1:9',
      'webhook http://127.0.0.1:9 #2',
      'chat-ops',
    ]);
    exporter.export(testAlert(), 'created');
    await exporter.close();
    expect(failures.map((f) => f.destination).sort()).toEqual([
      'chat-ops',
      'webhook http://127.0.0.1:9',
      'webhook http://127.0.0.1:9 #2',
    ]);
    expect(JSON.stringify(failures)).not.toContain('s3cr3tT0ken');
  });
});
