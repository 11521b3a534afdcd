/**
 * The crash test's child: appends 1 KiB records from several concurrent appenders as fast as it can
 * and prints `<firstId> <count> <tag>` for every acknowledged append. The parent SIGKILLs it at a
 * random moment. Configured by environment: VIGIL_CRASH_ADAPTER (sqlite | postgres),
 * VIGIL_CRASH_DATA_DIR, VIGIL_CRASH_URL and VIGIL_CRASH_SCHEMA (postgres).
 */
import { openStore, type StoreConfig } from '../index.js';

const env = process.env;
const dataDir = env.VIGIL_CRASH_DATA_DIR ?? '';
const config: StoreConfig =
  env.VIGIL_CRASH_ADAPTER === 'postgres'
    ? {
        adapter: 'postgres',
        url: env.VIGIL_CRASH_URL ?? '',
        schema: env.VIGIL_CRASH_SCHEMA ?? 'public',
        dataDir,
      }
    : { adapter: 'sqlite', dataDir };

const store = await openStore(config);
const body = Buffer.alloc(1024, 0x61);
const APPENDERS = 8;
const BATCH = 16;

async function appender(worker: number): Promise<never> {
  for (let n = 0; ; n++) {
    const tag = `${process.pid}-${worker}-${n}`;
    const batch = Array.from({ length: BATCH }, (_, i) => ({
      kind: 'd2c' as const,
      deviceId: `dev-${worker}`,
      receivedAt: Date.now(),
      properties: { tag, i: String(i) },
      body,
    }));
    const ids = await store.ingestLog.append(batch);
    process.stdout.write(`${ids[0]} ${ids.length} ${tag}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: APPENDERS }, (_, worker) => appender(worker)));
