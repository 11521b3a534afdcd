import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.js';

const DEVICE_KEY = 'VGhpcy1pcy1hLXZlcnktc2VjcmV0LWRldmljZS1rZXk=';
const DAY = 24 * 60 * 60 * 1000;

/** Migrations, secrets at rest, retention. */
export function lifecycleContract({ open, harness }: ContractContext): void {
  describe('migrations', () => {
    it('migrates a new database, reopens it, and refuses one written by newer code', async () => {
      const store = await open();
      const version = store.schemaVersion;
      expect(version).toBeGreaterThanOrEqual(1);
      await store.close();
      expect((await open()).schemaVersion).toBe(version);
      await harness.setSchemaVersion(version + 1);
      const refused = open();
      await expect(refused).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
      await expect(refused).rejects.toThrow(new RegExp(`version ${version + 1}.*version ${version}`));
    });
  });

  describe('secrets at rest', () => {
    it('never stores a device key in plain text, and reads it back', async () => {
      const store = await open();
      await store.identities.create({
        deviceId: 'dev-1',
        moduleId: null,
        auth: { type: 'sas', primaryKey: DEVICE_KEY, secondaryKey: DEVICE_KEY },
      });
      await store.identities.update({ deviceId: 'dev-1', moduleId: null }, { status: 'disabled' });
      await store.close();
      const raw = await harness.rawDump();
      expect(raw).toContain('dev-1');
      expect(raw).not.toContain(DEVICE_KEY);
      expect(raw).not.toContain(Buffer.from(DEVICE_KEY, 'base64').toString('latin1'));
      const reopened = await open();
      expect((await reopened.identities.get({ deviceId: 'dev-1', moduleId: null }))?.auth).toMatchObject({
        primaryKey: DEVICE_KEY,
      });
    });

    it('creates the key file with 0600 permissions and refuses a different key', async () => {
      const keyFile = join(harness.scratchDir(), 'first.key');
      const store = await open({ secretKeyFile: keyFile });
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      await store.identities.create({
        deviceId: 'd',
        moduleId: null,
        auth: { type: 'sas', primaryKey: DEVICE_KEY, secondaryKey: DEVICE_KEY },
      });
      await store.close();
      const wrong = open({ secretKeyFile: join(harness.scratchDir(), 'other.key') });
      await expect(wrong).rejects.toMatchObject({ code: 'SECRET_KEY_MISMATCH' });
      await expect(wrong).rejects.toThrow(/other\.key/);
      await expect(open({ secretKey: randomBytes(32) })).rejects.toMatchObject({
        code: 'SECRET_KEY_MISMATCH',
      });
      const reopened = await open({ secretKeyFile: keyFile });
      expect((await reopened.identities.get({ deviceId: 'd', moduleId: null }))?.auth).toMatchObject({
        secondaryKey: DEVICE_KEY,
      });
    });

    it('refuses a malformed key file with a clear error', async () => {
      const keyFile = join(harness.scratchDir(), 'broken.key');
      writeFileSync(keyFile, 'not a key\n');
      await expect(open({ secretKeyFile: keyFile })).rejects.toMatchObject({
        code: 'KEY_FILE_INVALID',
        message: expect.stringContaining('broken.key') as unknown,
      });
    });
  });

  describe('retention', () => {
    it('prunes only rows older than the age, in bounded batches, while appends keep flowing', async () => {
      const store = await open();
      const now = 100 * DAY;
      const old = now - 40 * DAY;
      const body = Buffer.alloc(64);
      for (let batch = 0; batch < 3; batch++) {
        await store.ingestLog.append(
          Array.from({ length: 1_000 }, () => ({
            kind: 'd2c' as const,
            deviceId: 'd',
            receivedAt: old,
            body,
          })),
        );
      }
      const [recent] = await store.ingestLog.append([
        { kind: 'd2c', deviceId: 'd', receivedAt: now - DAY, body },
      ]);
      const eventAt = (eventId: string, receivedAt: number) => ({
        eventId,
        deviceId: 'd',
        moduleId: null,
        name: 'Login',
        category: 'Triggered',
        eventType: 'Security',
        at: receivedAt,
        receivedAt,
        payload: {},
        ingestId: null,
      });
      await store.securityEvents.record([eventAt('old', old), eventAt('new', now - DAY)]);
      await store.operations.record([
        { at: old, operation: 'connect', outcome: 'success', sourceId: 'old' },
        { at: now - DAY, operation: 'connect', outcome: 'success', sourceId: 'new' },
      ]);

      let pruneDone = false;
      const pruning = store
        .prune({ maxAgeMs: 30 * DAY, now, batchSize: 100 })
        .finally(() => (pruneDone = true));
      const appendedWhilePruning = await store.ingestLog.append([
        { kind: 'operation', deviceId: 'd', receivedAt: now, body },
      ]);
      const appendFinishedFirst = !pruneDone;
      const result = await pruning;

      expect(appendFinishedFirst).toBe(true);
      expect(result).toMatchObject({ ingestRecords: 3_000, securityEvents: 1, operations: 1 });
      expect(result.batches).toBeGreaterThanOrEqual(30);
      const left = await store.ingestLog.read({ group: 'g', consumer: 'c', limit: 10 });
      expect(left.map((r) => r.id)).toEqual([recent, ...appendedWhilePruning]);
      expect((await store.securityEvents.list({ deviceId: 'd' })).map((e) => e.eventId)).toEqual(['new']);
      expect((await store.operations.list()).map((o) => o.sourceId)).toEqual(['new']);
    });
  });
}
