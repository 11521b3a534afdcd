import { describe, expect, it } from 'vitest';
import { HAND_ASSEMBLED } from './__fixtures__/hand-assembled.js';
import { decodeRtosMessage, encodeRtosMessage } from './index.js';

describe('decodeRtosMessage on a hand-assembled buffer', () => {
  it('reads exactly the values written byte by byte', () => {
    expect(decodeRtosMessage(HAND_ASSEMBLED)).toStrictEqual({
      securityModuleId: 'dev',
      securityModuleVersion: 0x03050004,
      timezone: 0,
      events: [
        {
          id: '00010203-0405-0607-0809-0a0b0c0d0e0f',
          time: 1_700_000_000,
          collectionInterval: 10,
          payload: {
            type: 'NetworkActivity',
            ipv4Activity: [
              {
                localAddress: '192.168.1.20',
                remoteAddress: '52.1.2.3',
                common: {
                  localPort: 49_152,
                  remotePort: 8883,
                  bytesIn: 1234,
                  bytesOut: 567,
                  protocol: 'udp',
                  processId: 0,
                  userId: 0,
                },
              },
            ],
            ipv6Activity: [],
          },
        },
      ],
    });
  });

  it('is re-encoded by Vigil into bytes that decode to the same message', () => {
    const message = decodeRtosMessage(HAND_ASSEMBLED);
    expect(decodeRtosMessage(encodeRtosMessage(message))).toStrictEqual(message);
  });
});
