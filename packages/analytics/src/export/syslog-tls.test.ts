import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlertExporter } from './alert-exporter.js';
import { testAlert } from './test-alert.js';
import type { AlertExportFailure } from './types.js';

let dir: string;
let cert: Buffer;
let key: Buffer;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-syslog-tls-'));
  // A throwaway collector certificate for 127.0.0.1, made by the openssl CLI.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=collector',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'));
  key = readFileSync(join(dir, 'key.pem'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function startCollector(): Promise<{ port: number; received: () => string }> {
  const chunks: Buffer[] = [];
  server = createServer({ cert, key }, (socket) => socket.on('data', (c: Buffer) => chunks.push(c)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received: () => Buffer.concat(chunks).toString() };
}

describe('syslog over TLS', () => {
  it('delivers octet-counted messages to a collector whose certificate it trusts', async () => {
    const { port, received } = await startCollector();
    const exporter = createAlertExporter({
      destinations: [{ kind: 'syslog', host: '127.0.0.1', port, transport: 'tls', tls: { ca: cert } }],
    });
    exporter.export(testAlert(), 'created');
    await exporter.close();
    await expect.poll(() => received()).toMatch(/^\d+ <131>1 /);
    const text = received();
    const length = Number(text.slice(0, text.indexOf(' ')));
    expect(Buffer.byteLength(text) - text.indexOf(' ') - 1).toBe(length);
    expect(text).toContain('|IoT_Expired_SAS_Token|Expired SAS token|8|');
  });

  it('refuses a collector it cannot verify, and reports the failure', async () => {
    const { port, received } = await startCollector();
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [
        {
          kind: 'syslog',
          host: '127.0.0.1',
          port,
          transport: 'tls',
          retry: { maxAttempts: 2, baseDelayMs: 5 },
        },
      ],
      onError: (f) => failures.push(f),
    });
    exporter.export(testAlert(), 'created');
    await exporter.close();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ reason: 'gave-up', attempts: 2 });
    expect(failures[0]!.detail).toMatch(/self[- ]signed/i);
    expect(received()).toBe('');
  });
});
