import { describe, expect, it } from 'vitest';
import { postgresForTests, uniqueSchema } from '../testing/postgres-server.js';
import { openPostgresDatabase } from './database.js';

const server = postgresForTests();

// A SIGKILL of the client cannot tell whether COMMIT waited for the server's WAL flush; these
// settings are what make an acknowledged append survive a crash of the server or the machine.
describe.runIf(server.mode !== 'skip')('PostgreSQL durability settings', () => {
  it('commits only after the WAL is flushed: synchronous_commit=on, fsync=on', async () => {
    if (server.mode === 'fail') throw new Error(`CI=true but ${server.reason}`);
    if (server.mode !== 'run') return;
    const db = openPostgresDatabase({ url: server.url, schema: uniqueSchema('durability'), poolSize: 1 });
    try {
      expect(await db.get('SHOW synchronous_commit')).toEqual({ synchronous_commit: 'on' });
      expect(await db.get('SHOW fsync')).toEqual({ fsync: 'on' });
    } finally {
      await db.close();
    }
  });

  it('turns synchronous_commit off inside a non-durable transaction only', async () => {
    if (server.mode === 'fail') throw new Error(`CI=true but ${server.reason}`);
    if (server.mode !== 'run') return;
    const db = openPostgresDatabase({ url: server.url, schema: uniqueSchema('relaxed'), poolSize: 1 });
    try {
      const inside = await db.transaction((tx) => tx.get('SHOW synchronous_commit'), { durable: false });
      expect(inside).toEqual({ synchronous_commit: 'off' });
      // One connection in the pool: the same one, back at the durable setting.
      expect(await db.get('SHOW synchronous_commit')).toEqual({ synchronous_commit: 'on' });
      expect(await db.transaction((tx) => tx.get('SHOW synchronous_commit'))).toEqual({
        synchronous_commit: 'on',
      });
    } finally {
      await db.close();
    }
  });
});
