import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './database.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A SIGKILL test cannot tell `synchronous=NORMAL` from FULL (the OS keeps the page cache); only a
// power cut could. So the settings that make an acknowledged append survive one are pinned here.
describe('SQLite durability settings', () => {
  it('opens in WAL mode with synchronous=FULL: every commit is fsynced before append resolves', async () => {
    const db = openSqliteDatabase(join(dir, 'vigil.db'));
    try {
      expect(await db.get<{ journal_mode: string }>('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await db.get<{ synchronous: number }>('PRAGMA synchronous')).toEqual({ synchronous: 2 }); // FULL
    } finally {
      await db.close();
    }
  });

  it('relaxes synchronous for a non-durable transaction only, and restores FULL even when it fails', async () => {
    const db = openSqliteDatabase(join(dir, 'relaxed.db'));
    try {
      const inside = await db.transaction((tx) => tx.get<{ synchronous: number }>('PRAGMA synchronous'), {
        durable: false,
      });
      expect(inside).toEqual({ synchronous: 1 }); // NORMAL
      expect(await db.get<{ synchronous: number }>('PRAGMA synchronous')).toEqual({ synchronous: 2 });
      await expect(
        db.transaction(() => Promise.reject(new Error('fails')), { durable: false }),
      ).rejects.toThrow('fails');
      expect(await db.get<{ synchronous: number }>('PRAGMA synchronous')).toEqual({ synchronous: 2 });
      const durable = await db.transaction((tx) => tx.get<{ synchronous: number }>('PRAGMA synchronous'));
      expect(durable).toEqual({ synchronous: 2 });
    } finally {
      await db.close();
    }
  });
});
