import { describe, expect, it } from 'vitest';
import { connections } from '../testing/events.js';
import { storedPayload } from './device-record.js';

describe('stored event payloads', () => {
  it('keep small events whole', () => {
    const payload = storedPayload(connections(0, ['20.42.65.92']));
    expect(payload.flows).toHaveLength(1);
    expect(payload.omittedItems).toBeUndefined();
  });

  it('cut an oversized item list to what fits under 60 KiB and say how many were left out', () => {
    const remotes = Array.from({ length: 2_000 }, (_, i) => `10.${i >> 8}.${i & 255}.1`);
    const payload = storedPayload(
      connections(0, remotes, { commandLine: '/opt/scanner --aggressive --ports 1-65535' }),
    );
    expect(JSON.stringify(payload).length).toBeLessThanOrEqual(60 * 1024);
    const kept = (payload.flows as unknown[]).length;
    expect(kept).toBeGreaterThan(0);
    expect(payload.omittedItems).toBe(2_000 - kept);
  });
});
