import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAST_USED_RESOLUTION_MS, TOKENS_FILE, TokenStore } from './tokens.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-token-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the token store', () => {
  it('keeps only hashes, notes last use to the minute across restarts, and forgets revoked tokens', async () => {
    const tokens = await TokenStore.open(dir);
    const { token, record } = await tokens.create('viewer', 'grafana', 1_000);
    expect(tokens.verify('vgl_not-a-token', 2_000)).toBeUndefined();
    expect(tokens.verify(token, 2_000)?.id).toBe(record.id);
    // Within the resolution the use time stays; after it, it moves.
    tokens.verify(token, 2_000 + LAST_USED_RESOLUTION_MS - 1);
    expect(tokens.get(record.id)?.lastUsedAt).toBe(2_000);
    tokens.verify(token, 2_000 + LAST_USED_RESOLUTION_MS);
    await tokens.flush();
    const reopened = await TokenStore.open(dir);
    expect(reopened.list()).toEqual([
      {
        id: record.id,
        role: 'viewer',
        name: 'grafana',
        prefix: token.slice(0, 8),
        createdAt: 1_000,
        lastUsedAt: 2_000 + LAST_USED_RESOLUTION_MS,
      },
    ]);
    expect(await readFile(join(dir, TOKENS_FILE), 'utf8')).not.toContain(token.slice(8));
    expect(await reopened.revoke(record.id)).toBe(true);
    expect(reopened.verify(token)).toBeUndefined();
    expect((await TokenStore.open(dir)).isEmpty).toBe(true);
  });

  it('reads a file written before prefixes and use times were kept', async () => {
    const tokens = await TokenStore.open(dir);
    const { token, record } = await tokens.create('admin', 'first admin', 5);
    const file = join(dir, TOKENS_FILE);
    const { tokens: records } = JSON.parse(await readFile(file, 'utf8')) as { tokens: object[] };
    const old = records.map((entry) => ({ ...entry, prefix: undefined }));
    await writeFile(file, JSON.stringify({ tokens: old }));
    const reopened = await TokenStore.open(dir);
    expect(reopened.get(record.id)).toMatchObject({ prefix: '', lastUsedAt: null, role: 'admin' });
    expect(reopened.verify(token)?.id).toBe(record.id);
    await reopened.flush(); // the first use is written in the background; let it land before cleanup
  });

  it('refuses bad names and roles, and keeps the last admin when asked to', async () => {
    const tokens = await TokenStore.open(dir);
    await expect(tokens.create('viewer', '')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(tokens.create('viewer', 'tab\there')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(tokens.create('root' as 'admin', 'x')).rejects.toMatchObject({ code: 'INVALID' });
    const { record } = await tokens.create('admin', 'only admin');
    await expect(tokens.revoke(record.id, { keepAnAdmin: true })).rejects.toMatchObject({
      code: 'LAST_ADMIN',
    });
    expect(await tokens.revoke('000000000000')).toBe(false);
    expect(tokens.list()).toHaveLength(1);
  });
});
