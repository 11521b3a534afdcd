/**
 * The ListeningPorts collector (reference/azure-security-module.md §2.2): every TCP socket in
 * LISTEN and every bound, unconnected UDP socket, IPv4 and IPv6, with the owning process.
 */
import type { ListeningPort } from '@vigil/protocol';
import { isListening } from '../linux/index.js';
import type { Collector, CollectorError } from './collector.js';
import { eventHeader } from './event-header.js';
import { nonEmpty, ownerDetails, readOwnedSockets } from './socket-context.js';

/** The collector's id in configuration. */
export const LISTENING_PORTS_ID = 'listening-ports';

/** Creates the listening-ports collector. */
export function createListeningPortsCollector(): Collector {
  return {
    id: LISTENING_PORTS_ID,
    platforms: ['linux'],
    priority: 'High',
    description:
      'Listening TCP and bound UDP sockets from /proc/net/{tcp,tcp6,udp,udp6}; owning process from /proc/<pid>/fd.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const sockets = await readOwnedSockets(LISTENING_PORTS_ID, context, errors);
      const ports: ListeningPort[] = sockets
        .filter((o) => isListening(o.socket))
        .map((o) => {
          const s = o.socket;
          const details = ownerDetails(o);
          details.UserId = String(s.uid);
          return {
            ipVersion: s.ipVersion,
            protocol: s.protocol,
            localAddress: s.localAddress,
            // Port 0 means "any" on the wire (reference §2.2, the C agent's `*`).
            localPort: s.localPort === 0 ? '*' : String(s.localPort),
            remoteAddress: s.remoteAddress,
            remotePort: s.remotePort === 0 ? '*' : String(s.remotePort),
            ...nonEmpty(details),
          };
        });
      const header = eventHeader(context, 'ListeningPorts', 'Periodic');
      return { events: [{ ...header, kind: 'listening-ports', ports }], errors };
    },
  };
}
