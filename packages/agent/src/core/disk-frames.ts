/**
 * The record framing of disk-buffer segment files: `u32 length | u32 crc32 | payload`, big-endian.
 * Scanning stops at the first frame that is truncated or fails its checksum, which is what a crash
 * in the middle of an append leaves behind.
 */
import { crc32 } from 'node:zlib';

/** Bytes of framing before each payload. */
export const FRAME_HEADER_BYTES = 8;

/** A payload no disk buffer record can exceed; larger lengths mean the header itself is garbage. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** One frame found in a segment. */
export interface FrameLocation {
  /** Offset of the frame header in the file. */
  readonly offset: number;
  /** Payload length. */
  readonly length: number;
}

/** What is wrong with the end of a segment. */
export type TailProblem = 'truncated-header' | 'truncated-payload' | 'checksum-mismatch' | 'bad-length';

/** The result of scanning a segment's bytes. */
export interface SegmentScan {
  readonly frames: FrameLocation[];
  /** Offset just past the last good frame. */
  readonly goodBytes: number;
  readonly problem?: TailProblem;
}

/** The bytes of one frame around `payload`. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.byteLength);
  frame.writeUInt32BE(payload.byteLength, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/** Finds the good frames of a segment, stopping at the first damaged one. */
export function scanFrames(bytes: Buffer): SegmentScan {
  const frames: FrameLocation[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (offset + FRAME_HEADER_BYTES > bytes.byteLength)
      return { frames, goodBytes: offset, problem: 'truncated-header' };
    const length = bytes.readUInt32BE(offset);
    if (length > MAX_RECORD_BYTES) return { frames, goodBytes: offset, problem: 'bad-length' };
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > bytes.byteLength) return { frames, goodBytes: offset, problem: 'truncated-payload' };
    const payload = bytes.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== bytes.readUInt32BE(offset + 4))
      return { frames, goodBytes: offset, problem: 'checksum-mismatch' };
    frames.push({ offset, length });
    offset = end;
  }
  return { frames, goodBytes: offset };
}
