import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '@vigil/storage';
import type { ServiceContext } from '../../registry/index.js';
import { RecordingDeviceChannel } from './recording-device-channel.js';
import { RecordingOperationsSink } from './recording-operations-sink.js';

/** A real SQLite store in a temporary directory plus the recording stand-ins, for service tests. */
export interface ServiceHarness {
  readonly store: Store;
  readonly channel: RecordingDeviceChannel;
  readonly operations: RecordingOperationsSink;
  readonly context: ServiceContext;
  /** The harness clock; tests move it forward. */
  now: number;
  close(): Promise<void>;
}

/** Opens a {@link ServiceHarness}; close it in `afterEach`. */
export async function openServiceHarness(): Promise<ServiceHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-hub-services-'));
  const store = await openSqliteStore({ dataDir: dir });
  const channel = new RecordingDeviceChannel();
  const operations = new RecordingOperationsSink();
  const harness: ServiceHarness = {
    store,
    channel,
    operations,
    now: Date.UTC(2026, 0, 1),
    context: { store, channel, operations, now: () => harness.now },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
