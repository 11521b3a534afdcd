/**
 * Durable append throughput of the ingest log (1 KiB records, one record per append, 1 and 64
 * concurrent appenders, plus 64 appenders of 16-record batches) on SQLite and on a throw-away
 * PostgreSQL, against a peer measured in the
 * same run: the disk's raw rate of write(1 KiB) + fdatasync in this process. A ratio above 1 means
 * group commit delivers more durable records per second than the disk does fsyncs.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store, type StoreConfig } from '@vigil/storage';
import { findPostgresBinaries, startPostgresCluster } from '../test/global-setup/postgres-cluster.js';

const SECONDS = Number(process.env.VIGIL_BENCH_SECONDS ?? 3);
const RECORD = Buffer.alloc(1024, 0x61);

function fsyncRate(dir: string): number {
  const fd = openSync(join(dir, 'fsync.bin'), 'w');
  const deadline = performance.now() + 1_000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    writeSync(fd, RECORD);
    fdatasyncSync(fd);
    n++;
  }
  const rate = n / ((performance.now() - start) / 1_000);
  closeSync(fd);
  return rate;
}

async function appendRate(
  store: Store,
  appenders: number,
  perAppend = 1,
): Promise<{ rate: number; perGroup: number }> {
  const before = store.ingestLog.stats();
  let stop = false;
  let count = 0;
  const batch = Array.from({ length: perAppend }, () => ({
    kind: 'd2c' as const,
    deviceId: 'bench',
    receivedAt: Date.now(),
    body: RECORD,
  }));
  const start = performance.now();
  setTimeout(() => (stop = true), SECONDS * 1_000);
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (!stop) {
        await store.ingestLog.append(batch);
        count += perAppend;
      }
    }),
  );
  const after = store.ingestLog.stats();
  return {
    rate: count / ((performance.now() - start) / 1_000),
    perGroup: (after.records - before.records) / (after.groups - before.groups),
  };
}

async function measure(label: string, config: StoreConfig, peer: number): Promise<void> {
  const store = await openStore(config);
  try {
    await appendRate(store, 8); // warm-up: statement caches, WAL file growth
    // The goal's shapes (1 record per append), then 16 records per append: a hub with several
    // QoS 1 messages in flight per connection.
    for (const [appenders, perAppend] of [
      [1, 1],
      [64, 1],
      [64, 16],
    ] as const) {
      const { rate, perGroup } = await appendRate(store, appenders, perAppend);
      process.stdout.write(
        `| ${label} | ${appenders} × ${perAppend} | ${Math.round(rate).toLocaleString('en')} | ${perGroup.toFixed(1)} | ${(rate / peer).toFixed(1)}× |\n`,
      );
    }
  } finally {
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-storage-'));
try {
  const peer = fsyncRate(dir);
  process.stdout.write(
    `peer: raw write(1 KiB)+fdatasync on ${tmpdir()}: ${Math.round(peer).toLocaleString('en')} /s\n\n`,
  );
  process.stdout.write(
    '| adapter | appenders × records per append | durable records/s | records per commit | vs fsync/s |\n|---|---|---|---|---|\n',
  );
  await measure('SQLite (WAL, synchronous=FULL)', { adapter: 'sqlite', dataDir: join(dir, 'sqlite') }, peer);
  const binaries = findPostgresBinaries();
  if (!binaries) {
    process.stdout.write('| PostgreSQL | – | skipped: no server binaries under /usr/lib/postgresql | | |\n');
  } else {
    const cluster = await startPostgresCluster(binaries);
    try {
      await measure(
        'PostgreSQL (synchronous_commit=on)',
        { adapter: 'postgres', url: cluster.url, schema: 'bench', dataDir: dir },
        peer,
      );
    } finally {
      await cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
