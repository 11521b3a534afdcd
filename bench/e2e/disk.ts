/**
 * The disk's ceiling for durable ingest, measured in the same run: sequential write bandwidth when
 * every write is followed by `fdatasync` (1 MiB writes: group commit at its best), and the rate of
 * small synchronous writes (one message per fsync: no group commit at all).
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** What the disk sustains with fsync. */
export interface DiskCeiling {
  /** Bytes/s of 1 MiB write + fdatasync. */
  readonly syncBandwidth: number;
  /** write(message) + fdatasync per second. */
  readonly syncWritesPerSecond: number;
}

function rate(dir: string, block: Buffer, seconds: number): number {
  const file = join(dir, `disk-${block.length}.bin`);
  const fd = openSync(file, 'w');
  const start = performance.now();
  let n = 0;
  try {
    while (performance.now() - start < seconds * 1000) {
      writeSync(fd, block);
      fdatasyncSync(fd);
      n++;
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return n / ((performance.now() - start) / 1000);
}

/** Measures in `dir` (the directory the server's database lives in), `seconds` per figure. */
export function measureDisk(dir: string, messageBytes: number, seconds = 2): DiskCeiling {
  const big = Buffer.alloc(1024 * 1024, 0x5a);
  return {
    syncBandwidth: rate(dir, big, seconds) * big.length,
    syncWritesPerSecond: rate(dir, Buffer.alloc(messageBytes, 0x5a), seconds),
  };
}
