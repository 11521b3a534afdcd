import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../core/index.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('reconnect backoff', () => {
  it('doubles from 1 s up to the 60 s ceiling and never goes above it', () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(DEFAULT_BACKOFF, n, none))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('spreads a fleet: with jitter 0.5 delays land in [d/2, d] and differ between devices', () => {
    const delays = Array.from({ length: 200 }, (_, device) =>
      backoffDelay(DEFAULT_BACKOFF, 3, createSeededRandom(device + 1)),
    );
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(4_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});
