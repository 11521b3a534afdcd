import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDiskBuffer } from './disk-buffer.js';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const msg = (i: number, size = 100) => text(`message-${String(i).padStart(4, '0')}-`.padEnd(size, 'x'));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-disk-buffer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.vbuf')).sort();
}

async function dirBytes(): Promise<number> {
  let total = 0;
  for (const f of await segmentFiles()) total += (await stat(join(dir, f))).size;
  return total;
}

describe('disk buffer', () => {
  it('gives records back in append order and deletes them once acknowledged', async () => {
    const buffer = await openDiskBuffer({ dir, maxBytes: 100_000, segmentBytes: 1_000 });
    for (let i = 0; i < 30; i += 3) await buffer.append([msg(i), msg(i + 1), msg(i + 2)]);
    expect(buffer.pendingRecords).toBe(30);
    expect((await segmentFiles()).length).toBeGreaterThan(1);
    const first = await buffer.read(12);
    expect(first.map((r) => str(r.data).slice(0, 12))).toEqual(
      Array.from({ length: 12 }, (_, i) => `message-${String(i).padStart(4, '0')}`),
    );
    await buffer.acknowledge(first.at(-1)!.position);
    expect(buffer.pendingRecords).toBe(18);
    const rest = await buffer.read(100);
    expect(str(rest[0]!.data)).toMatch(/^message-0012/);
    await buffer.acknowledge(rest.at(-1)!.position);
    expect(buffer.pendingRecords).toBe(0);
    expect(await segmentFiles()).toEqual([]);
    await buffer.close();
  });

  it('survives a restart: unacknowledged records come back in order, acknowledged ones do not', async () => {
    const before = await openDiskBuffer({ dir, maxBytes: 100_000, segmentBytes: 2_000 });
    for (let i = 0; i < 50; i += 5) await before.append([0, 1, 2, 3, 4].map((k) => msg(i + k)));
    const some = await before.read(23);
    await before.acknowledge(some.at(-1)!.position);
    // No close(): the process dies here; appends were fsync'ed.
    const after = await openDiskBuffer({ dir, maxBytes: 100_000, segmentBytes: 2_000 });
    expect(after.pendingRecords).toBe(27);
    const all = await after.read(1_000);
    expect(all.map((r) => str(r.data).slice(8, 12))).toEqual(
      Array.from({ length: 27 }, (_, i) => String(23 + i).padStart(4, '0')),
    );
    await after.append([msg(50)]);
    const again = await openDiskBuffer({ dir, maxBytes: 100_000, segmentBytes: 2_000 });
    expect(again.pendingRecords).toBe(28);
    expect(str((await again.read(1_000)).at(-1)!.data)).toMatch(/^message-0050/);
    await Promise.all([after.close(), again.close()]);
  });

  it('stays within its byte cap by dropping the oldest segments, and counts the lost records', async () => {
    const buffer = await openDiskBuffer({ dir, maxBytes: 5_000, segmentBytes: 1_000 });
    for (let i = 0; i < 200; i += 4) await buffer.append([msg(i), msg(i + 1), msg(i + 2), msg(i + 3)]);
    expect(await dirBytes()).toBeLessThanOrEqual(5_000);
    const stats = buffer.stats();
    expect(stats.bytes).toBe(await dirBytes());
    expect(stats.droppedRecords + stats.pendingRecords).toBe(200);
    expect(stats.droppedRecords).toBeGreaterThan(150);
    // What is left is the newest data, contiguous and in order.
    const left = (await buffer.read(1_000)).map((r) => Number(str(r.data).slice(8, 12)));
    expect(left.at(-1)).toBe(199);
    expect(left).toEqual(left.map((_, i) => left[0]! + i));
    await buffer.close();
  });

  it('drops a record larger than the whole cap instead of wiping the buffer for it', async () => {
    const buffer = await openDiskBuffer({ dir, maxBytes: 1_000 });
    await buffer.append([msg(1)]);
    expect(await buffer.append([msg(2, 2_000)])).toEqual({ appended: 0, dropped: 1 });
    expect(buffer.stats()).toMatchObject({ pendingRecords: 1, droppedRecords: 1 });
    await buffer.close();
  });

  it('skips and reports a torn last record, then appends cleanly after it', async () => {
    const first = await openDiskBuffer({ dir, maxBytes: 100_000 });
    await first.append([msg(1), msg(2), msg(3)]);
    await first.close();
    const [file] = await segmentFiles();
    const good = (await stat(join(dir, file!))).size;
    // Half a frame: a length header promising 100 bytes, then only 10 of them.
    const torn = Buffer.alloc(18);
    torn.writeUInt32BE(100, 0);
    await appendFile(join(dir, file!), torn);

    const reopened = await openDiskBuffer({ dir, maxBytes: 100_000 });
    expect(reopened.stats().corruptTails).toEqual([
      { file, offset: good, skippedBytes: 18, problem: 'truncated-payload' },
    ]);
    expect((await reopened.read(10)).map((r) => str(r.data).slice(0, 12))).toEqual([
      'message-0001',
      'message-0002',
      'message-0003',
    ]);
    await reopened.append([msg(4)]);
    await reopened.close();

    const third = await openDiskBuffer({ dir, maxBytes: 100_000 });
    expect(third.stats().corruptTails).toEqual([]);
    expect((await third.read(10)).map((r) => str(r.data).slice(8, 12))).toEqual([
      '0001',
      '0002',
      '0003',
      '0004',
    ]);
    await third.close();
  });

  it('detects a last record whose bytes do not match its checksum', async () => {
    const buffer = await openDiskBuffer({ dir, maxBytes: 100_000 });
    await buffer.append([msg(1), msg(2)]);
    await buffer.close();
    const path = join(dir, (await segmentFiles())[0]!);
    const bytes = await readFile(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.byteLength - 1) ^ 0xff, bytes.byteLength - 1);
    await writeFile(path, bytes);
    const reopened = await openDiskBuffer({ dir, maxBytes: 100_000 });
    expect(reopened.pendingRecords).toBe(1);
    expect(reopened.stats().corruptTails[0]!.problem).toBe('checksum-mismatch');
    await reopened.close();
  });

  it('ignores a cursor naming a segment that no longer exists', async () => {
    await writeFile(join(dir, 'cursor.json'), JSON.stringify({ segment: 1, acked: 5 }));
    const buffer = await openDiskBuffer({ dir, maxBytes: 100_000 });
    await buffer.append([msg(1), msg(2)]);
    const reopened = await openDiskBuffer({ dir, maxBytes: 100_000 });
    expect(reopened.pendingRecords).toBe(2);
    await Promise.all([buffer.close(), reopened.close()]);
  });
});
