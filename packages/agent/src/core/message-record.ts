/**
 * How an unsent message is stored in the disk buffer: a small fixed header (format version,
 * priority, creation time, event count) followed by the encoded body, untouched.
 */
import type { MessagePriority, OutgoingMessage } from './batcher.js';

const VERSION = 1;
const HEADER_BYTES = 14;

/** The disk record of a message. */
export function encodeMessageRecord(message: OutgoingMessage): Uint8Array {
  const record = Buffer.allocUnsafe(HEADER_BYTES + message.body.byteLength);
  record.writeUInt8(VERSION, 0);
  record.writeUInt8(message.priority === 'High' ? 0 : 1, 1);
  record.writeDoubleBE(message.createdAt, 2);
  record.writeUInt32BE(message.eventCount, 10);
  record.set(message.body, HEADER_BYTES);
  return record;
}

/** The message of a disk record; undefined for a record this version cannot read. */
export function decodeMessageRecord(record: Uint8Array): OutgoingMessage | undefined {
  const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  if (bytes.byteLength < HEADER_BYTES || bytes.readUInt8(0) !== VERSION) return undefined;
  const priority: MessagePriority = bytes.readUInt8(1) === 0 ? 'High' : 'Low';
  return {
    priority,
    createdAt: bytes.readDoubleBE(2),
    eventCount: bytes.readUInt32BE(10),
    body: Uint8Array.prototype.slice.call(bytes, HEADER_BYTES),
  };
}
