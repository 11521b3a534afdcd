import type { Duplex } from 'node:stream';

/** Why a frame guard closed a connection: a packet over the limit, or an unreadable length. */
export class FrameRejectedError extends Error {
  override readonly name = 'FrameRejectedError';
  constructor(
    message: string,
    readonly announcedBytes: number | null,
  ) {
    super(message);
  }
}

/**
 * Reads MQTT fixed headers as bytes pass and reports a packet whose remaining length is above
 * `maxPacketBytes`, so an oversized or garbage frame closes the connection before its bytes are
 * buffered (the MQTT parser would otherwise collect up to 256 MiB for one packet). Plain state, no
 * stream: one per connection, a few numbers each.
 */
export class FrameScanner {
  /** Bytes of the current packet still to pass (payload), or -1 while reading a header. */
  private remaining = -1;
  /** Header bytes read of the current packet (type byte included). */
  private headerBytes = 0;
  private length = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** Scans the next bytes of the stream; the error when they break the limit, else undefined. */
  scan(chunk: Buffer): FrameRejectedError | undefined {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.remaining = -1;
        continue;
      }
      const byte = chunk[offset] ?? 0;
      offset++;
      this.headerBytes++;
      // The first byte is the packet type; then up to four bytes of variable-length integer (MQTT 2.2.3).
      if (this.headerBytes === 1) continue;
      this.length += (byte & 0x7f) * 128 ** (this.headerBytes - 2);
      if ((byte & 0x80) !== 0) {
        if (this.headerBytes === 5) return new FrameRejectedError('malformed MQTT remaining length', null);
        continue;
      }
      const length = this.length;
      this.headerBytes = 0;
      this.length = 0;
      if (length > this.maxPacketBytes) {
        return new FrameRejectedError(
          `MQTT packet of ${length} bytes exceeds ${this.maxPacketBytes}`,
          length,
        );
      }
      this.remaining = length === 0 ? -1 : length;
    }
    return undefined;
  }
}

/**
 * Guards the connection Aedes reads, in place: Aedes pulls bytes with `read()` on `readable`
 * (aedes lib/client.js), so the scanner sees every chunk before the MQTT parser does and a chunk
 * that breaks the limit is never handed on — the stream is destroyed with a
 * {@link FrameRejectedError} instead. No extra stream per connection: a Transform and a
 * `Duplex.from` pair cost several KiB of stream state and listeners per session.
 */
export function guardedConnection<T extends Duplex>(stream: T, maxPacketBytes: number): T {
  const scanner = new FrameScanner(maxPacketBytes);
  const read = stream.read.bind(stream);
  stream.read = (size?: number): unknown => {
    const chunk: unknown = read(size);
    if (!Buffer.isBuffer(chunk)) return chunk;
    const error = scanner.scan(chunk);
    if (error === undefined) return chunk;
    stream.destroy(error);
    return null;
  };
  return stream;
}
