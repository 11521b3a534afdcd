/**
 * The disk buffer: messages that could not be sent are appended to segment files in a directory,
 * survive an agent restart, and are deleted once the hub acknowledged them. The directory is capped
 * in bytes; when full, whole oldest segments are dropped (and counted). Each append batch is
 * fsync'ed. A torn last record (a crash mid-append) is skipped and reported on reopen.
 *
 * Layout: `segment-<16 digits>.vbuf` files of frames (./disk-frames.ts) and a `cursor.json` saying
 * how many records of the oldest segment were already delivered.
 */
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  truncate,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodeFrame,
  FRAME_HEADER_BYTES,
  scanFrames,
  type FrameLocation,
  type TailProblem,
} from './disk-frames.js';

/** Default cap of the whole directory. */
export const DEFAULT_DISK_BUFFER_BYTES = 10 * 1024 * 1024;

/** Where a record sits; acknowledging a position acknowledges everything before it too. */
export interface RecordPosition {
  readonly segment: number;
  readonly index: number;
}

/** A record read back from the buffer. */
export interface BufferedRecord {
  readonly position: RecordPosition;
  readonly data: Uint8Array;
}

/** Damage found at the end of a segment when the buffer was opened. */
export interface CorruptTail {
  readonly file: string;
  readonly offset: number;
  readonly skippedBytes: number;
  readonly problem: TailProblem;
}

/** Counters of the buffer since it was opened. */
export interface DiskBufferStats {
  readonly pendingRecords: number;
  readonly bytes: number;
  readonly droppedRecords: number;
  readonly corruptTails: readonly CorruptTail[];
}

/** Options for {@link openDiskBuffer}. */
export interface DiskBufferOptions {
  readonly dir: string;
  readonly maxBytes?: number;
  /** Size at which a new segment starts; default a quarter of `maxBytes`, at most 1 MiB. */
  readonly segmentBytes?: number;
}

/** An open disk buffer. */
export interface DiskBuffer {
  /** Appends records as one fsync'ed batch; returns how many were written and how many dropped (cap). */
  append(records: readonly Uint8Array[]): Promise<{ appended: number; dropped: number }>;
  /** Up to `max` of the oldest undelivered records, in append order. */
  read(max: number): Promise<BufferedRecord[]>;
  /** Marks every record up to and including `position` as delivered; delivered segments are deleted. */
  acknowledge(position: RecordPosition): Promise<void>;
  readonly pendingRecords: number;
  stats(): DiskBufferStats;
  close(): Promise<void>;
}

interface Segment {
  readonly id: number;
  readonly path: string;
  readonly frames: FrameLocation[];
  size: number;
  acked: number;
}

const SEGMENT = /^segment-(\d{16})\.vbuf$/;
const CURSOR = 'cursor.json';
const segmentName = (id: number) => `segment-${String(id).padStart(16, '0')}.vbuf`;

/** Opens (creating if needed) the buffer in `dir`, reading what a previous run left there. */
export async function openDiskBuffer(options: DiskBufferOptions): Promise<DiskBuffer> {
  const { dir } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_DISK_BUFFER_BYTES;
  const segmentBytes =
    options.segmentBytes ?? Math.min(1024 * 1024, Math.max(4096, Math.floor(maxBytes / 4)));
  await mkdir(dir, { recursive: true });
  const corruptTails: CorruptTail[] = [];
  const segments: Segment[] = [];
  const names = (await readdir(dir)).filter((n) => SEGMENT.test(n)).sort();
  for (const [i, name] of names.entries()) {
    const path = join(dir, name);
    const bytes = await readFile(path);
    const scan = scanFrames(bytes);
    if (scan.problem !== undefined) {
      corruptTails.push({
        file: name,
        offset: scan.goodBytes,
        skippedBytes: bytes.byteLength - scan.goodBytes,
        problem: scan.problem,
      });
      // Cut the torn tail off the segment new records will follow, so they stay readable.
      if (i === names.length - 1) await truncate(path, scan.goodBytes);
    }
    const size = i === names.length - 1 ? scan.goodBytes : bytes.byteLength;
    segments.push({ id: Number(SEGMENT.exec(name)![1]), path, frames: scan.frames, size, acked: 0 });
  }
  const cursor = await readCursor(dir);
  if (cursor !== undefined) {
    const s = segments.find((x) => x.id === cursor.segment);
    if (s !== undefined) s.acked = Math.min(cursor.acked, s.frames.length);
  }
  // Never reuse an id a cursor may still name (a crash between deleting a segment and rewriting it).
  const nextId = Math.max(segments.at(-1)?.id ?? 0, cursor?.segment ?? 0) + 1;
  return createBuffer({ dir, maxBytes, segmentBytes, segments, corruptTails, nextId });
}

async function readCursor(dir: string): Promise<{ segment: number; acked: number } | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(dir, CURSOR), 'utf8'));
    if (typeof value === 'object' && value !== null && 'segment' in value && 'acked' in value) {
      const { segment, acked } = value;
      if (typeof segment === 'number' && typeof acked === 'number') return { segment, acked };
    }
  } catch {
    // No cursor (or a torn one): nothing of the oldest segment counts as delivered; at worst a
    // message is sent twice, which the hub tolerates (idempotent by message and event id).
  }
  return undefined;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface BufferState {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly segments: Segment[];
  readonly corruptTails: CorruptTail[];
  readonly nextId: number;
}

function createBuffer(state: BufferState): DiskBuffer {
  const { dir, maxBytes, segmentBytes, segments, corruptTails } = state;
  let writer: { segment: Segment; handle: FileHandle } | undefined;
  let droppedRecords = 0;
  let nextId = state.nextId;
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  const totalBytes = () => segments.reduce((sum, s) => sum + s.size, 0);
  const pending = () => segments.reduce((sum, s) => sum + s.frames.length - s.acked, 0);

  async function closeWriter(): Promise<void> {
    const w = writer;
    writer = undefined;
    await w?.handle.close();
  }

  async function dropOldest(): Promise<void> {
    const oldest = segments.shift();
    if (oldest === undefined) return;
    if (writer?.segment === oldest) await closeWriter();
    droppedRecords += oldest.frames.length - oldest.acked;
    await rm(oldest.path, { force: true });
  }

  async function writeCursor(): Promise<void> {
    const head = segments[0];
    const tmp = join(dir, `${CURSOR}.tmp`);
    await writeFile(tmp, JSON.stringify({ segment: head?.id ?? 0, acked: head?.acked ?? 0 }));
    await rename(tmp, join(dir, CURSOR));
    await syncDirectory(dir);
  }

  async function appendBatch(records: readonly Uint8Array[]): Promise<{ appended: number; dropped: number }> {
    let frames = records.map((r) => encodeFrame(r));
    let dropped = 0;
    // The newest data matters most: a batch bigger than the whole cap loses its oldest records.
    while (frames.length > 0 && frames.reduce((n, f) => n + f.byteLength, 0) > maxBytes) {
      frames = frames.slice(1);
      dropped += 1;
    }
    if (frames.length === 0) {
      droppedRecords += dropped;
      return { appended: 0, dropped };
    }
    const batch = Buffer.concat(frames);
    while (segments.length > 0 && totalBytes() + batch.byteLength > maxBytes) await dropOldest();
    if (
      writer !== undefined &&
      writer.segment.size > 0 &&
      writer.segment.size + batch.byteLength > segmentBytes
    ) {
      await closeWriter();
    }
    if (writer === undefined) {
      const last = segments.at(-1);
      const reuse =
        last !== undefined && last.size + batch.byteLength <= segmentBytes && last.acked < last.frames.length;
      let segment: Segment;
      if (reuse) segment = last;
      else {
        segment = { id: nextId, path: join(dir, segmentName(nextId)), frames: [], size: 0, acked: 0 };
        nextId += 1;
        segments.push(segment);
      }
      writer = { segment, handle: await open(segment.path, 'a') };
      // A new file's directory entry is only durable once the directory itself is synced.
      if (!reuse) await syncDirectory(dir);
    }
    const { segment, handle } = writer;
    await handle.write(batch);
    await handle.sync();
    let offset = segment.size;
    for (const f of frames) {
      segment.frames.push({ offset, length: f.byteLength - FRAME_HEADER_BYTES });
      offset += f.byteLength;
    }
    segment.size = offset;
    droppedRecords += dropped;
    return { appended: frames.length, dropped };
  }

  async function readRecords(max: number): Promise<BufferedRecord[]> {
    const out: BufferedRecord[] = [];
    for (const s of segments) {
      if (out.length >= max) break;
      const wanted = s.frames.slice(s.acked, s.acked + (max - out.length));
      if (wanted.length === 0) continue;
      const handle = await open(s.path, 'r');
      try {
        for (const [i, f] of wanted.entries()) {
          const data = Buffer.alloc(f.length);
          await handle.read(data, 0, f.length, f.offset + FRAME_HEADER_BYTES);
          out.push({ position: { segment: s.id, index: s.acked + i }, data });
        }
      } finally {
        await handle.close();
      }
    }
    return out;
  }

  async function ack(position: RecordPosition): Promise<void> {
    while (segments.length > 0) {
      const head = segments[0]!;
      if (head.id > position.segment) break;
      head.acked =
        head.id < position.segment
          ? head.frames.length
          : Math.max(head.acked, Math.min(position.index + 1, head.frames.length));
      if (head.acked < head.frames.length) break;
      // Fully delivered: the segment goes, including the one being written (the next append starts a new one).
      segments.shift();
      if (writer?.segment === head) await closeWriter();
      await rm(head.path, { force: true });
    }
    await writeCursor();
  }

  return {
    append: (records) => exclusive(() => appendBatch(records)),
    read: (max) => exclusive(() => readRecords(max)),
    acknowledge: (position) => exclusive(() => ack(position)),
    get pendingRecords() {
      return pending();
    },
    stats: () => ({
      pendingRecords: pending(),
      bytes: totalBytes(),
      droppedRecords,
      corruptTails: [...corruptTails],
    }),
    close: () => exclusive(closeWriter),
  };
}
