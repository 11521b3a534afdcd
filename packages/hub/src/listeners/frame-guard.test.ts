import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FrameRejectedError, FrameScanner, guardedConnection } from './frame-guard.js';

function scan(maxPacketBytes: number, chunks: Buffer[]): FrameRejectedError | undefined {
  const scanner = new FrameScanner(maxPacketBytes);
  for (const chunk of chunks) {
    const error = scanner.scan(chunk);
    if (error !== undefined) return error;
  }
  return undefined;
}

/** Reads a guarded stream as Aedes does (`read()` on `readable`); what passed and how it ended. */
function readGuarded(maxPacketBytes: number, chunks: Buffer[]): Promise<{ passed: number; error?: Error }> {
  return new Promise((resolve) => {
    const stream = guardedConnection(new PassThrough(), maxPacketBytes);
    let passed = 0;
    stream.on('readable', () => {
      for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null)
        passed += chunk.length;
    });
    stream.on('error', (error) => resolve({ passed, error }));
    stream.on('end', () => resolve({ passed }));
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

const publish = Buffer.concat([
  Buffer.from([0x30, 0x85, 0x01]),
  Buffer.alloc(133, 1),
  Buffer.from([0xc0, 0x00]),
]);

describe('the frame guard', () => {
  it('passes packets under the limit, also when headers and payloads are split across chunks', async () => {
    const split = [publish.subarray(0, 2), publish.subarray(2, 50), publish.subarray(50)];
    expect(scan(1024, split)).toBeUndefined();
    expect(
      scan(
        1024,
        [...publish].map((byte) => Buffer.from([byte])),
      ),
    ).toBeUndefined();
    expect(await readGuarded(1024, split)).toEqual({ passed: publish.length });
  });

  it('fails a packet announcing more than the limit, before its payload arrives', async () => {
    const header = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]);
    const error = scan(1024, [header]);
    expect(error).toBeInstanceOf(FrameRejectedError);
    expect(error?.announcedBytes).toBe(268_435_455);
    // The reader never sees the oversized packet's bytes: the stream fails instead.
    const result = await readGuarded(1024, [publish, header]);
    expect(result.error).toBeInstanceOf(FrameRejectedError);
    expect(result.passed).toBe(0);
  });

  it('fails a remaining length longer than four bytes', () => {
    expect(scan(1024, [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])])?.message).toMatch(/malformed/);
  });

  it('checks the packet after a limit-sized one (the scanner keeps its place across packets)', () => {
    const exact = Buffer.concat([Buffer.from([0x30, 0x80, 0x08]), Buffer.alloc(1024, 2)]);
    expect(scan(1024, [exact, exact])).toBeUndefined();
    expect(scan(1024, [exact, Buffer.from([0x30, 0x81, 0x08])])?.announcedBytes).toBe(1025);
  });
});
