import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import { missingAcknowledged, runAndKill, seededRandom } from '../testing/crash-harness.js';

const RUNS = 20;

describe('SQLite ingest log under SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every acknowledged append across ${RUNS} kills at random moments`, async () => {
    const random = seededRandom(0x5eed);
    let acknowledged = 0;
    for (let run = 0; run < RUNS; run++) {
      const acks = await runAndKill(
        { VIGIL_CRASH_ADAPTER: 'sqlite', VIGIL_CRASH_DATA_DIR: dataDir },
        Math.floor(random() * 300),
      );
      const store = await openStore({ dataDir });
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
