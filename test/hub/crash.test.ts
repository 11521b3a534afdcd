/**
 * QoS 1 durability across SIGKILL: a child process runs the hub (packages/hub/src/main.ts),
 * mqtt.js publishers send QoS 1 telemetry and note every PUBACK, the hub is killed at a random
 * (seeded) moment and restarted on the same data directory: every acknowledged message must be in
 * the ingest log (DESIGN.md "Nothing acknowledged is lost").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createHub } from '@vigil/hub';
import { openSqliteStore } from '@vigil/storage';
import { newKey } from './support/hub-fixture.js';
import { iotHubUsername, sasToken, tryConnect } from './support/mqtt-client.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 2;
const PUBLISHERS = 3;
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the hub child and resolves with it and its TLS port once it printed its addresses. */
function startChild(): Promise<{ child: ChildProcess; port: number; ca: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@vigil/source', '--import', 'tsx', 'packages/hub/src/main.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          VIGIL_HUB_DATA_DIR: dataDir,
          VIGIL_HUB_MQTTS_PORT: '0',
          VIGIL_HUB_WSS_PORT: 'off',
          VIGIL_HUB_BIND: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) return;
      const ready = JSON.parse(line) as { addresses: { mqtts: { port: number } } };
      import('node:fs')
        .then((fs) => fs.readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8'))
        .then((ca) => resolve({ child, port: ready.addresses.mqtts.port, ca }), reject);
    });
    child.on('exit', (code) => reject(new Error(`hub child exited (${code}): ${err}`)));
  });
}

/** Publishes QoS 1 messages back to back; collects the bodies the hub acknowledged. */
function publishUntilClosed(
  client: MqttClient,
  deviceId: string,
  tag: string,
  acked: Set<string>,
): Promise<void> {
  return new Promise((resolve) => {
    let seq = 0;
    const next = (): void => {
      const body = `${deviceId}#${tag}#${seq++}`;
      client.publish(`devices/${deviceId}/messages/events/`, body, { qos: 1 }, (error) => {
        if (error) return resolve();
        acked.add(body);
        next();
      });
    };
    // A few in flight per publisher, as the SDK allows.
    for (let i = 0; i < 4; i++) next();
    client.once('close', () => resolve());
  });
}

describe('QoS 1 across a SIGKILL of the hub', () => {
  it(`finds every acknowledged message after ${RUNS} kills at random moments`, async () => {
    const random = seeded(0xc0ffee);
    const keys = new Map<string, string>();
    const store = await openSqliteStore({ dataDir });
    for (let p = 0; p < PUBLISHERS; p++) {
      const key = newKey();
      keys.set(`crash-${p}`, key);
      await store.identities.create({
        deviceId: `crash-${p}`,
        moduleId: null,
        auth: { type: 'sas', primaryKey: key, secondaryKey: newKey() },
      });
    }
    await store.close();

    const acked = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const { child, port, ca } = await startChild();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const publishing: Promise<void>[] = [];
      const clients: MqttClient[] = [];
      for (const [deviceId, key] of keys) {
        const result = await tryConnect({
          port,
          ca,
          clientId: deviceId,
          username: iotHubUsername('localhost', deviceId),
          password: sasToken({ host: 'localhost', deviceId, key }),
        });
        if (!result.connected) throw new Error(result.message);
        clients.push(result.client);
        publishing.push(publishUntilClosed(result.client, deviceId, `r${run}`, acked));
      }
      const before = acked.size;
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 400)));
      child.kill('SIGKILL');
      await exited;
      await Promise.all(publishing);
      for (const client of clients) client.end(true);
      expect(acked.size).toBeGreaterThan(before);
    }

    // Restart the hub on the same data directory; it must open cleanly and hold every acked message.
    const hub = await createHub({
      dataDir,
      listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    });
    await hub.start();
    try {
      const stored = new Set<string>();
      let after: string | null = null;
      for (;;) {
        const page = await hub.store.ingestLog.read({
          group: 'crash-check',
          consumer: 'test',
          after,
          limit: 1000,
        });
        for (const record of page) if (record.kind === 'd2c') stored.add(record.body.toString());
        if (page.length < 1000) break;
        after = page.at(-1)!.id;
      }
      const missing = [...acked].filter((body) => !stored.has(body));
      expect(missing).toEqual([]);
      expect(acked.size).toBeGreaterThan(RUNS * 10);
    } finally {
      await hub.stop();
    }
  }, 60_000);
});
