/**
 * Test support: one ConnectionCreate payload item, the outbound connection a device's `curl` makes
 * to `remoteAddress`. The threat-intelligence tests (server and dashboard) publish it to a listed and
 * an unlisted address and look for the suspicious-IP alert.
 */
import { connectionItem, type JsonPayloadItem } from '@vigil/sim';

/** An outbound TCP connection from `curl` (pid 812, user 1000) to `remoteAddress`:443. */
export const curlConnection = (remoteAddress: string): JsonPayloadItem =>
  connectionItem({
    remoteAddress,
    remotePort: 443,
    localAddress: '192.168.1.20',
    localPort: 50_123,
    direction: 'Out',
    protocol: 'tcp',
    processId: 812,
    executable: '/usr/bin/curl',
    commandLine: `curl https://${remoteAddress}/`,
    userId: '1000',
  });
