import { Duplex, Transform, type TransformCallback } from 'node:stream';

/** Why a {@link FrameGuard} closed a connection: a packet over the limit, or an unreadable length. */
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
 * Reads MQTT fixed headers as bytes pass and fails the stream when a packet announces a remaining
 * length above `maxPacketBytes`, so an oversized or garbage frame closes the connection before its
 * bytes are buffered (the MQTT parser would otherwise collect up to 256 MiB for one packet).
 */
export class FrameGuard extends Transform {
  /** Bytes of the current packet still to pass (payload), or -1 while reading a header. */
  private remaining = -1;
  private headerBytes: number[] = [];

  constructor(private readonly maxPacketBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.remaining = -1;
        continue;
      }
      this.headerBytes.push(chunk[offset] ?? 0);
      offset++;
      const length = this.readLength();
      if (length === 'more') continue;
      this.headerBytes = [];
      if (length === 'bad' || length > this.maxPacketBytes) {
        callback(
          length === 'bad'
            ? new FrameRejectedError('malformed MQTT remaining length', null)
            : new FrameRejectedError(`MQTT packet of ${length} bytes exceeds ${this.maxPacketBytes}`, length),
        );
        return;
      }
      this.remaining = length === 0 ? -1 : length;
    }
    callback(null, chunk);
  }

  /** The remaining length once the first byte and the variable-length integer are complete. */
  private readLength(): number | 'more' | 'bad' {
    if (this.headerBytes.length < 2) return 'more';
    let value = 0;
    for (let i = 1; i < this.headerBytes.length; i++) {
      const byte = this.headerBytes[i] ?? 0;
      value += (byte & 0x7f) * 128 ** (i - 1);
      if ((byte & 0x80) === 0) return value;
      if (i === 4) return 'bad';
    }
    return 'more';
  }
}

/**
 * The connection Aedes reads: the socket's bytes through a {@link FrameGuard}, writes straight to
 * the socket. Destroying either side destroys both.
 */
export function guardedConnection(socket: Duplex, maxPacketBytes: number): Duplex {
  const guard = new FrameGuard(maxPacketBytes);
  socket.pipe(guard);
  const connection = Duplex.from({ readable: guard, writable: socket });
  guard.on('error', (error) => {
    socket.destroy();
    connection.destroy(error);
  });
  socket.on('error', (error) => connection.destroy(error));
  socket.on('close', () => connection.destroy());
  connection.on('close', () => socket.destroy());
  return connection;
}
