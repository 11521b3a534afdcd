import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FrameGuard, FrameRejectedError } from './frame-guard.js';

function run(maxPacketBytes: number, chunks: Buffer[]): Promise<{ passed: number; error?: Error }> {
  return new Promise((resolve) => {
    const guard = new FrameGuard(maxPacketBytes);
    let passed = 0;
    guard.on('data', (chunk: Buffer) => (passed += chunk.length));
    guard.on('error', (error) => resolve({ passed, error }));
    guard.on('end', () => resolve({ passed }));
    const source = new PassThrough();
    source.pipe(guard);
    for (const chunk of chunks) source.write(chunk);
    source.end();
  });
}

describe('FrameGuard', () => {
  it('passes packets under the limit, also when headers and payloads are split across chunks', async () => {
    const publish = Buffer.concat([
      Buffer.from([0x30, 0x85, 0x01]),
      Buffer.alloc(133, 1),
      Buffer.from([0xc0, 0x00]),
    ]);
    const split = [publish.subarray(0, 2), publish.subarray(2, 50), publish.subarray(50)];
    expect(await run(1024, split)).toEqual({ passed: publish.length });
  });

  it('fails a packet announcing more than the limit, before its payload arrives', async () => {
    const result = await run(1024, [Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f])]);
    expect(result.error).toBeInstanceOf(FrameRejectedError);
    expect((result.error as FrameRejectedError).announcedBytes).toBe(268_435_455);
  });

  it('fails a remaining length longer than four bytes', async () => {
    const result = await run(1024, [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])]);
    expect(result.error?.message).toMatch(/malformed/);
  });
});
