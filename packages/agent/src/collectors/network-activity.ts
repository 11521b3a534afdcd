/**
 * The network activity collector: TCP connections, connected UDP sockets, ICMP (ping) and raw
 * sockets, IPv4 and IPv6, as `ConnectionCreate` flows (reference/azure-security-module.md §2.2) with
 * process, user and — for TCP, when `ss` is installed — bytes in and out.
 *
 * By default a run reports the flows that appeared since the previous run (the first run reports
 * all); `report: 'all'` reports every current flow. Caching and the 64-flow limits are the core's
 * (reference §1.5).
 */
import type { NetworkFlow, TransportProtocol } from '@vigil/protocol';
import { STATE_LISTEN, TCP_STATES, type SocketEntry } from '../linux/proc-net.js';
import { readTcpBytes } from '../linux/socket-reader.js';
import { flowKey } from '../linux/ss-output.js';
import type { Collector, CollectorError } from './collector.js';
import { eventHeader } from './event-header.js';
import { nonEmpty, readOwnedSockets, type OwnedSocket } from './socket-context.js';

/** The collector's id in configuration. */
export const NETWORK_ACTIVITY_ID = 'network-activity';

/** Options for {@link createNetworkActivityCollector}. */
export interface NetworkActivityOptions {
  /** `new` (default): flows not seen in the previous run; `all`: every current flow. */
  readonly report?: 'new' | 'all';
  /** Ask `ss -tinH` for TCP byte counters (default true). */
  readonly tcpBytes?: boolean;
}

const RAW_PROTOCOLS: Readonly<Record<number, TransportProtocol>> = {
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  58: 'icmp',
};

function isFlow(s: SocketEntry): boolean {
  switch (s.protocol) {
    case 'tcp':
      return s.state !== STATE_LISTEN;
    case 'udp':
      return s.state === 1; // connected; unconnected ones are listening ports
    case 'icmp':
    case 'raw':
      return true;
  }
}

/** Inbound when the local end is a port something listens on (same address or the any address). */
function direction(s: SocketEntry, listening: ReadonlySet<string>): 'in' | 'out' {
  const any = s.ipVersion === 4 ? '0.0.0.0' : '::';
  const hit = listening.has(`${s.localAddress}|${s.localPort}`) || listening.has(`${any}|${s.localPort}`);
  return hit ? 'in' : 'out';
}

function toFlow(
  o: OwnedSocket,
  listening: ReadonlySet<string>,
  bytes: ReturnType<typeof flowBytes>,
): NetworkFlow {
  const s = o.socket;
  const details: Record<string, string> = {};
  if (s.protocol === 'tcp') details.State = TCP_STATES[s.state] ?? String(s.state);
  if (s.protocol === 'raw') details.IpProtocol = String(s.localPort);
  const protocol = s.protocol === 'raw' ? (RAW_PROTOCOLS[s.localPort] ?? 'raw') : s.protocol;
  const hasPorts = s.protocol === 'tcp' || s.protocol === 'udp';
  const counters = s.protocol === 'tcp' ? bytes(s) : undefined;
  return {
    ipVersion: s.ipVersion,
    protocol,
    direction: s.protocol === 'tcp' ? direction(s, listening) : 'out',
    localAddress: s.localAddress,
    remoteAddress: s.remoteAddress,
    ...(hasPorts ? { localPort: String(s.localPort), remotePort: String(s.remotePort) } : {}),
    ...(counters ?? {}),
    ...(o.process === undefined
      ? {}
      : {
          processId: o.process.pid,
          commandLine: o.process.commandLine,
          ...(o.process.executable === undefined ? {} : { executable: o.process.executable }),
        }),
    userId: String(s.uid),
    ...nonEmpty(details),
  };
}

function flowBytes(map: Map<string, { bytesIn: number; bytesOut: number }> | undefined) {
  return (s: SocketEntry) => map?.get(flowKey(s.localAddress, s.localPort, s.remoteAddress, s.remotePort));
}

function identity(f: NetworkFlow): string {
  return [
    f.protocol,
    f.ipVersion,
    f.localAddress,
    f.localPort,
    f.remoteAddress,
    f.remotePort,
    f.processId,
  ].join('|');
}

/** Creates the network activity collector. */
export function createNetworkActivityCollector(options: NetworkActivityOptions = {}): Collector {
  const report = options.report ?? 'new';
  let previous = new Set<string>();
  return {
    id: NETWORK_ACTIVITY_ID,
    platforms: ['linux'],
    priority: 'High',
    description:
      'TCP/UDP/ICMP/raw flows from /proc/net/{tcp,tcp6,udp,udp6,icmp,icmp6,raw,raw6}; process via /proc/<pid>/fd; TCP bytes from `ss -tinH`.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const [sockets, bytes] = await Promise.all([
        readOwnedSockets(NETWORK_ACTIVITY_ID, context, errors),
        options.tcpBytes === false ? undefined : readTcpBytes(context.system, context.signal),
      ]);
      const listening = new Set(
        sockets
          .filter((o) => o.socket.protocol === 'tcp' && o.socket.state === STATE_LISTEN)
          .map((o) => `${o.socket.localAddress}|${o.socket.localPort}`),
      );
      const all = sockets.filter((o) => isFlow(o.socket)).map((o) => toFlow(o, listening, flowBytes(bytes)));
      const current = new Set(all.map(identity));
      const flows = report === 'all' ? all : all.filter((f) => !previous.has(identity(f)));
      previous = current;
      if (flows.length === 0) return { events: [], errors };
      const header = eventHeader(context, 'ConnectionCreate', 'Triggered');
      return { events: [{ ...header, kind: 'network-activity', flows }], errors };
    },
  };
}
