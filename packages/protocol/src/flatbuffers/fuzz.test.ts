import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/index.js';
import { HAND_ASSEMBLED } from './__fixtures__/hand-assembled.js';
import { EVERY_PAYLOAD, EVERY_PAYLOAD_MESSAGE, rtosCycleMessage } from './__fixtures__/sample-messages.js';
import {
  decodeFlatbuffersSecurityMessage,
  decodeRtosMessage,
  encodeRtosMessage,
  parseMti,
  RTOS_MTI,
} from './index.js';

/** mulberry32: a tiny deterministic PRNG, so every run explores the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS: readonly Uint8Array[] = [
  HAND_ASSEMBLED,
  encodeRtosMessage(EVERY_PAYLOAD_MESSAGE),
  encodeRtosMessage(rtosCycleMessage(3)),
  ...EVERY_PAYLOAD.map((event) => encodeRtosMessage({ ...EVERY_PAYLOAD_MESSAGE, events: [event] })),
];

// Values that hit boundaries when written over an offset, a length or a vtable entry.
const INTERESTING = [
  0, 1, 2, 3, 4, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Random edits of valid messages (flip, overwrite, insert, delete, truncate, splice) plus pure noise. */
function mutants(count: number, seed: number): Uint8Array[] {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const randomBytes = (length: number): Uint8Array => Uint8Array.from({ length }, () => int(256));
  const out: Uint8Array[] = [];
  for (let n = 0; n < count; n += 1) {
    if (random() < 0.05) {
      out.push(randomBytes(int(300)));
      continue;
    }
    let bytes: Uint8Array = (SEEDS[int(SEEDS.length)] ?? HAND_ASSEMBLED).slice();
    const edits = 1 + int(3);
    for (let e = 0; e < edits; e += 1) {
      const at = int(bytes.length + 1);
      const op = int(7);
      if (op === 0 && at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ (1 << int(8));
      else if (op === 1 && at < bytes.length) bytes[at] = int(256);
      else if (op === 2 && at + 4 <= bytes.length)
        new DataView(bytes.buffer, bytes.byteOffset).setUint32(
          at,
          INTERESTING[int(INTERESTING.length)] ?? 0,
          true,
        );
      else if (op === 3) bytes = concat(bytes.subarray(0, at), randomBytes(1 + int(8)), bytes.subarray(at));
      else if (op === 4) bytes = concat(bytes.subarray(0, at), bytes.subarray(at + 1 + int(8)));
      else if (op === 5) bytes = bytes.slice(0, at);
      else {
        const other = SEEDS[int(SEEDS.length)] ?? HAND_ASSEMBLED;
        bytes = concat(bytes.subarray(0, at), other.subarray(int(other.length)));
      }
    }
    out.push(bytes);
  }
  return out;
}

// A call on an input of a few KiB takes microseconds; the bound is loose because CI machines stall
// processes for whole scheduler slices, but a loop that never ends (or a quadratic walk) blows it.
const SLOWEST_CALL_MS = 1_000;

/** Runs `call` on every input; only ProtocolErrors may escape. Returns how many were accepted and the slowest call. */
function survive<T>(
  inputs: readonly T[],
  call: (input: T) => unknown,
): { accepted: number; slowestMs: number } {
  let accepted = 0;
  let slowestMs = 0;
  // Stack capture dominates the cost of a rejected input under the test runner; the stacks are not needed.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const input of inputs) {
      const start = performance.now();
      try {
        call(input);
        accepted += 1;
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
      }
      slowestMs = Math.max(slowestMs, performance.now() - start);
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { accepted, slowestMs };
}

describe('randomized inputs (seeded)', () => {
  const inputs = mutants(100_000, 0x2_3100);
  const mti = parseMti(RTOS_MTI);

  it('decodeRtosMessage throws only ProtocolError, never hangs, and what it accepts re-encodes to itself', () => {
    let reencoded = 0;
    const result = survive(inputs, (bytes) => {
      const message = decodeRtosMessage(bytes);
      // the decoder must never produce a value the schema cannot carry
      if (reencoded < 2_000) {
        expect(decodeRtosMessage(encodeRtosMessage(message))).toStrictEqual(message);
        reencoded += 1;
      }
    });
    expect(result.slowestMs).toBeLessThan(SLOWEST_CALL_MS);
    // the mutations must leave some inputs valid, or the "accepted" path would go unexercised
    expect(result.accepted).toBeGreaterThan(1_000);
    expect(result.accepted).toBeLessThan(inputs.length);
  });

  it('decodeFlatbuffersSecurityMessage throws only ProtocolError and never hangs', () => {
    const result = survive(inputs, (bytes) => decodeFlatbuffersSecurityMessage(bytes, mti));
    expect(result.slowestMs).toBeLessThan(SLOWEST_CALL_MS);
    expect(result.accepted).toBeGreaterThan(1_000);
  });

  it('parseMti throws only ProtocolError on 100,000 random and mutated values', () => {
    const random = prng(0x2_3101);
    const alphabet = [...'0123456789.-', '2.3', '-1', '-0', ' ', 'a', '\u0000', 'é'];
    const values = Array.from({ length: 100_000 }, () => {
      let text = random() < 0.5 ? RTOS_MTI : '';
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(random() * (text.length + 1));
        const piece = alphabet[Math.floor(random() * alphabet.length)] ?? '';
        text =
          random() < 0.6
            ? text.slice(0, at) + piece + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1);
      }
      return text;
    });
    const result = survive(values, (value) => parseMti(value));
    expect(result.accepted).toBeGreaterThan(100);
    expect(result.slowestMs).toBeLessThan(SLOWEST_CALL_MS);
  });
});
