/**
 * Test support for the agent's end-to-end tests: the real Vigil hub (Aedes gateway, SQLite store,
 * device services for twins) on a plain-TCP loopback listener, a registered `azureiotsecurity`
 * module with a SAS key, and readers for what the agent delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeviceServices, createHub, type DeviceServices, type Hub } from '@vigil/hub';
import { decodeSecurityMessage, type DecodedSecurityMessage, type SecurityEvent } from '@vigil/protocol';
import type { IngestRecord } from '@vigil/storage';
import { addIdentity, ingestRecords } from '../../hub/support/hub-fixture.js';

/** A started hub with its twin service. */
export interface AgentTestHub {
  readonly hub: Hub;
  readonly devices: DeviceServices;
  readonly dataDir: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the hub on 127.0.0.1 (port 0 unless given) with a plain MQTT listener only. */
export async function startAgentHub(
  options: { dataDir?: string; port?: number } = {},
): Promise<AgentTestHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-agent-hub-'));
  const hub = await createHub({
    hostName: 'localhost',
    dataDir,
    listeners: { mqtts: false, wss: false, mqtt: { port: options.port ?? 0, host: '127.0.0.1' } },
    operations: { flushIntervalMs: 5 },
  });
  const devices = createDeviceServices({
    store: hub.store,
    channel: hub.channel,
    operations: hub.operations,
    hostName: 'localhost',
  });
  for (const service of devices.services) hub.use(service);
  await hub.start();
  return {
    hub,
    devices,
    dataDir,
    port: hub.addresses.mqtt?.port ?? 0,
    async stop() {
      await devices.close();
      await hub.stop();
    },
  };
}

/** Registers `deviceId` and its `azureiotsecurity` module; returns the module's connection string. */
export async function registerSecurityModule(t: AgentTestHub, deviceId: string): Promise<string> {
  const key = await addIdentity(t.hub, deviceId, 'azureiotsecurity');
  return `HostName=localhost;DeviceId=${deviceId};ModuleId=azureiotsecurity;SharedAccessKey=${key};GatewayHostName=127.0.0.1:${t.port}`;
}

/** A delivered security message: the ingest record and its decoding. */
export interface Delivered {
  readonly record: IngestRecord;
  readonly message: DecodedSecurityMessage;
}

/** Every D2C record of `deviceId`, decoded as a security message (throws on one that does not decode). */
export async function deliveredMessages(hub: Hub, deviceId: string): Promise<Delivered[]> {
  const records = (await ingestRecords(hub, 'd2c')).filter((r) => r.deviceId === deviceId);
  return records.map((record) => {
    const decoded = decodeSecurityMessage(record.body, record.properties);
    if (!decoded.ok) throw new Error(`record ${record.id} does not decode: ${decoded.error.message}`);
    return { record, message: decoded.message };
  });
}

/** Every event of `deviceId` delivered so far. */
export async function deliveredEvents(hub: Hub, deviceId: string): Promise<SecurityEvent[]> {
  return (await deliveredMessages(hub, deviceId)).flatMap((d) => d.message.events);
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
