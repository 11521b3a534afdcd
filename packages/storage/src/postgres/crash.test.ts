import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import { missingAcknowledged, runAndKill, seededRandom } from '../testing/crash-harness.js';
import { postgresForTests, uniqueSchema } from '../testing/postgres-server.js';

const RUNS = 20;
const server = postgresForTests();

describe.skipIf(server.mode === 'skip')('PostgreSQL ingest log under SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-pg-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every acknowledged append across ${RUNS} kills at random moments`, async () => {
    if (server.mode !== 'run') throw new Error(`CI=true but ${server.reason}`);
    const config = { adapter: 'postgres' as const, url: server.url, schema: uniqueSchema('crash'), dataDir };
    await (await openStore(config)).close();
    const random = seededRandom(0xc0ffee);
    let acknowledged = 0;
    for (let run = 0; run < RUNS; run++) {
      const acks = await runAndKill(
        {
          VIGIL_CRASH_ADAPTER: 'postgres',
          VIGIL_CRASH_DATA_DIR: dataDir,
          VIGIL_CRASH_URL: server.url,
          VIGIL_CRASH_SCHEMA: config.schema,
        },
        Math.floor(random() * 300),
      );
      const store = await openStore(config);
      try {
        expect(await missingAcknowledged(store, acks)).toEqual([]);
      } finally {
        await store.close();
      }
      acknowledged += acks.reduce((sum, ack) => sum + ack.count, 0);
    }
    expect(acknowledged).toBeGreaterThan(RUNS * 16);
  });
});
