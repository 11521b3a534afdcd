/**
 * Test support for the hub's integration tests: a hub on loopback with its own data directory,
 * identities in its registry, and readers for the ingest log and the operations log.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type Hub, type HubOptions } from '@vigil/hub';
import type { IdentityAuth, IngestRecord, Operation } from '@vigil/storage';

/** A started hub and how to reach and inspect it. */
export interface TestHub {
  readonly hub: Hub;
  readonly dataDir: string;
  /** The TLS port (port 0 picked it). */
  readonly mqttsPort: number;
  readonly wssPort: number | null;
  readonly mqttPort: number | null;
  stop(): Promise<void>;
}

/** Starts a hub on 127.0.0.1 with port 0 for TLS (and WebSocket unless overridden), operations flushed fast. */
export async function startTestHub(options: Partial<HubOptions> = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-hub-test-'));
  const hub = await createHub({
    hostName: 'localhost',
    listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
    operations: { flushIntervalMs: 5 },
    limits: { hookTimeoutMs: 5000 },
    ...options,
    dataDir,
  });
  try {
    await hub.start();
  } catch (error) {
    await hub.stop();
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    hub,
    dataDir,
    mqttsPort: hub.addresses.mqtts?.port ?? 0,
    wssPort: hub.addresses.wss?.port ?? null,
    mqttPort: hub.addresses.mqtt?.port ?? null,
    async stop() {
      await hub.stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh base64 symmetric key. */
export function newKey(): string {
  return randomBytes(32).toString('base64');
}

/** Registers a device or module with SAS keys (or the given auth); returns the primary key. */
export async function addIdentity(
  hub: Hub,
  deviceId: string,
  moduleId: string | null = null,
  auth?: IdentityAuth,
): Promise<string> {
  const primaryKey = newKey();
  if (moduleId !== null && (await hub.store.identities.get({ deviceId, moduleId: null })) === undefined) {
    await hub.store.identities.create({
      deviceId,
      moduleId: null,
      auth: { type: 'sas', primaryKey: newKey(), secondaryKey: newKey() },
    });
  }
  await hub.store.identities.create({
    deviceId,
    moduleId,
    auth: auth ?? { type: 'sas', primaryKey, secondaryKey: newKey() },
  });
  return primaryKey;
}

/** Every ingest record of a kind, oldest first. */
export async function ingestRecords(hub: Hub, kind: 'd2c' | 'operation'): Promise<IngestRecord[]> {
  const all: IngestRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page: IngestRecord[] = await hub.store.ingestLog.read({
      group: 'test',
      consumer: 'test',
      after,
      limit: 1000,
    });
    all.push(...page);
    if (page.length < 1000) break;
    after = page.at(-1)?.id ?? null;
  }
  return all.filter((r) => r.kind === kind);
}

/** Operations from the queryable log after flushing the sink, oldest first. */
export async function operations(hub: Hub, operation?: string): Promise<Operation[]> {
  await hub.operations.flush();
  const rows = await hub.store.operations.list(
    operation === undefined ? { limit: 1000 } : { operation, limit: 1000 },
  );
  return rows.reverse();
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
