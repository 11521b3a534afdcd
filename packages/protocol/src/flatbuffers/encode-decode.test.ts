import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors/index.js';
import { EVERY_PAYLOAD, EVERY_PAYLOAD_MESSAGE, rtosCycleMessage } from './__fixtures__/sample-messages.js';
import { decodeRtosMessage, encodeRtosMessage, type RtosSecurityMessage } from './index.js';

function roundTrip(message: RtosSecurityMessage): RtosSecurityMessage {
  return decodeRtosMessage(encodeRtosMessage(message));
}

describe('encodeRtosMessage → decodeRtosMessage', () => {
  it.each(EVERY_PAYLOAD.map((e) => [e.payload.type, e] as const))('round-trips a %s event', (_, event) => {
    const message = { ...EVERY_PAYLOAD_MESSAGE, events: [event] };
    expect(roundTrip(message)).toStrictEqual(message);
  });

  it('round-trips a message with every payload type, extreme values included', () => {
    expect(roundTrip(EVERY_PAYLOAD_MESSAGE)).toStrictEqual(EVERY_PAYLOAD_MESSAGE);
  });

  it('round-trips an empty events vector and 64 flows (the RTOS cache size)', () => {
    const empty = { ...EVERY_PAYLOAD_MESSAGE, events: [] };
    expect(roundTrip(empty)).toStrictEqual(empty);
    expect(roundTrip(rtosCycleMessage(64))).toStrictEqual(rtosCycleMessage(64));
  });

  it('fits a full RTOS cycle (64 flows, the cache size) in one 2944-byte flatcc emitter page, as RTOS must', () => {
    // reference §1.6: ASC_EMITTER_PAGE_CACHE_SIZE = 1 page; a Vigil agent's messages should not be fatter
    expect(encodeRtosMessage(rtosCycleMessage(64)).length).toBeLessThanOrEqual(2944);
  });

  it('decodes a body that sits at an odd offset inside a larger buffer (a pooled Node Buffer)', () => {
    const bytes = encodeRtosMessage(EVERY_PAYLOAD_MESSAGE);
    const pool = new Uint8Array(bytes.length + 7);
    pool.set(bytes, 3);
    expect(decodeRtosMessage(pool.subarray(3, 3 + bytes.length))).toStrictEqual(EVERY_PAYLOAD_MESSAGE);
  });

  it('rejects values the schema cannot carry, listing every one with its path', () => {
    const bad: RtosSecurityMessage = {
      ...EVERY_PAYLOAD_MESSAGE,
      events: [
        {
          id: 'not-a-uuid',
          time: -1,
          collectionInterval: 10,
          payload: {
            type: 'NetworkActivity',
            ipv4Activity: [
              {
                localAddress: '::1',
                remoteAddress: '1.2.3.4',
                common: { ...EVERY_PAYLOAD_FLOW, localPort: 70_000 },
              },
            ],
            ipv6Activity: [],
          },
        },
      ],
    };
    try {
      encodeRtosMessage(bad);
      expect.unreachable();
    } catch (error) {
      expect(isProtocolError(error, 'INVALID_SECURITY_MESSAGE')).toBe(true);
      expect(isProtocolError(error) && error.violations.map((v) => v.path)).toEqual([
        '$.events[0].id',
        '$.events[0].time',
        '$.events[0].payload.ipv4Activity[0].localAddress',
        '$.events[0].payload.ipv4Activity[0].common.localPort',
      ]);
    }
  });

  it('refuses to encode a message over the size limit', () => {
    expect(() => encodeRtosMessage(rtosCycleMessage(64), { maxBytes: 1024 })).toThrow(
      expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }),
    );
  });
});

const EVERY_PAYLOAD_FLOW = {
  localPort: 1,
  remotePort: 2,
  bytesIn: 3,
  bytesOut: 4,
  protocol: 'tcp',
  processId: 0,
  userId: 0,
} as const;
