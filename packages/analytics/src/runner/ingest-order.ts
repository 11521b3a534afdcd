import type { IngestId } from '@vigil/storage';

/**
 * Orders ingest ids. SQL logs use decimal counters and a Redis Streams log `ms-seq`; both compare as
 * sequences of integers.
 */
export function compareIngestIds(a: IngestId, b: IngestId): number {
  const left = a.split('-').map((part) => BigInt(part));
  const right = b.split('-').map((part) => BigInt(part));
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const x = left[i] ?? 0n;
    const y = right[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
