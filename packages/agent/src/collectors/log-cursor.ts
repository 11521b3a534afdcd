/**
 * Incremental reading of growing log files: each run reads only what was appended since the last
 * one, starts over when the file shrank (rotated), and reads at most a bounded number of bytes.
 */
import type { SystemAccess } from './system-access.js';

/** Options for {@link createLogCursor}. */
export interface LogCursorOptions {
  /** Read what the file already holds on the first run (default false: start at its end). */
  readonly readExisting?: boolean;
  /** Most bytes read per file per run; older unread bytes are skipped (default 1 MiB). */
  readonly maxBytesPerRun?: number;
  /** Consume only whole units: `'\n'` for text lines, or a record size for binary files. */
  readonly unit: '\n' | number;
}

/** What one read returned. */
export interface LogChunk {
  readonly bytes: Uint8Array;
  /** Bytes skipped because more than `maxBytesPerRun` had been appended. */
  readonly skipped: number;
}

/** Remembers an offset per file. */
export interface LogCursor {
  /** New whole units of `path`; throws like `SystemAccess` when the file cannot be read. */
  read(system: SystemAccess, path: string): Promise<LogChunk>;
}

function wholeLength(bytes: Uint8Array, unit: '\n' | number): number {
  if (unit === '\n') return bytes.lastIndexOf(0x0a) + 1;
  return bytes.length - (bytes.length % unit);
}

/** Creates a cursor. */
export function createLogCursor(options: LogCursorOptions): LogCursor {
  const offsets = new Map<string, number>();
  const max = options.maxBytesPerRun ?? 1024 * 1024;
  const empty = new Uint8Array(0);
  return {
    async read(system, path) {
      const { size } = await system.stat(path);
      let offset = offsets.get(path);
      if (offset === undefined && options.readExisting !== true) {
        offsets.set(path, size - (typeof options.unit === 'number' ? size % options.unit : 0));
        return { bytes: empty, skipped: 0 };
      }
      if (offset === undefined || size < offset) offset = 0; // first read, or rotated
      let skipped = 0;
      if (size - offset > max) {
        skipped = size - offset - max;
        offset += skipped;
        if (typeof options.unit === 'number') {
          const align = options.unit - (offset % options.unit);
          if (align !== options.unit) [offset, skipped] = [offset + align, skipped + align];
        }
      }
      if (size <= offset) return { bytes: empty, skipped };
      // After skipping into text, read one byte before the new offset: the first line is complete
      // only if that byte is a newline; a partial first line is dropped.
      const lineCut = skipped > 0 && options.unit === '\n' ? 1 : 0;
      const bytes = await system.readBytes(path, {
        offset: offset - lineCut,
        length: size - offset + lineCut,
      });
      const start = lineCut === 1 ? bytes.indexOf(0x0a) + 1 : 0;
      const whole = Math.max(start, wholeLength(bytes, options.unit));
      offsets.set(path, offset - lineCut + whole);
      return { bytes: bytes.subarray(start, whole), skipped };
    },
  };
}
