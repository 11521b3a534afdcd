/**
 * The network activity collector: TCP connections, connected UDP sockets, ICMP (ping) and raw
 * sockets, IPv4 and IPv6, as `ConnectionCreate` flows (reference/azure-security-module.md §2.2) with
 * process, user and — for TCP, when `ss` is installed — bytes in and out.
 *
 * By default a run reports the flows that appeared since the previous run (the first run reports
 * all), with the byte counters seen so far. `report: 'active'` also reports known flows whose TCP
 * counters grew, carrying only the bytes since the previous run: the RTOS flow model, where a cache
 * accumulates bytes per flow between sends. `report: 'all'` reports every current flow with its
 * counters. Caching and the 64-flow limits are the core's (reference §1.5).
 */
import type { NetworkFlow, TransportProtocol } from '@vigil/protocol';
import {
  STATE_LISTEN,
  TCP_STATES,
  type SocketEntry,
  readTcpBytes,
  flowKey,
  type TcpBytes,
} from '../linux/index.js';
import type { Collector, CollectorError } from './collector.js';
import { eventHeader } from './event-header.js';
import { nonEmpty, readOwnedSockets, type OwnedSocket } from './socket-context.js';

/** The collector's id in configuration. */
export const NETWORK_ACTIVITY_ID = 'network-activity';

/** Options for {@link createNetworkActivityCollector}. */
export interface NetworkActivityOptions {
  /**
   * `new` (default): flows not seen in the previous run; `active`: new flows plus flows with new
   * bytes, as deltas; `all`: every current flow with its total counters.
   */
  readonly report?: 'new' | 'active' | 'all';
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

function toFlow(o: OwnedSocket, listening: ReadonlySet<string>, bytes: BytesLookup): NetworkFlow {
  const s = o.socket;
  const details: Record<string, string> = {};
  if (s.protocol === 'tcp') details.State = TCP_STATES[s.state] ?? String(s.state);
  if (s.protocol === 'raw') details.IpProtocol = String(s.localPort);
  const protocol = protocolOf(s);
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

/** The TCP counters of a socket, when `ss` reported them. */
type BytesLookup = (s: SocketEntry) => TcpBytes | undefined;

/** The wire protocol of a socket: raw sockets are named by the IP protocol they receive. */
function protocolOf(s: SocketEntry): TransportProtocol {
  return s.protocol === 'raw' ? (RAW_PROTOCOLS[s.localPort] ?? 'raw') : s.protocol;
}

/**
 * A flow's identity across runs: its 5-tuple. Not its state or process, so a connection seen
 * established and later in TIME_WAIT (which no process holds) is one flow, reported once. Taken from
 * the socket, before any flow object is built, so a run only builds the flows it reports.
 */
function identity(s: SocketEntry): string {
  const ports = s.protocol === 'tcp' || s.protocol === 'udp';
  const localPort = ports ? String(s.localPort) : '';
  const remotePort = ports ? String(s.remotePort) : '';
  return `${protocolOf(s)}|${s.ipVersion}|${s.localAddress}|${localPort}|${s.remoteAddress}|${remotePort}`;
}

const socketFlowKey = (s: SocketEntry): string =>
  flowKey(s.localAddress, s.localPort, s.remoteAddress, s.remotePort);

/** Creates the network activity collector. */
export function createNetworkActivityCollector(options: NetworkActivityOptions = {}): Collector {
  const report = options.report ?? 'new';
  /**
   * Counters of every flow seen in the previous run, by identity. The default `new` report needs
   * only the identities, so every value is then one shared object.
   */
  let previous = new Map<string, { bytesIn: number; bytesOut: number }>();
  const NO_BYTES = { bytesIn: 0, bytesOut: 0 };
  return {
    id: NETWORK_ACTIVITY_ID,
    platforms: ['linux'],
    priority: 'High',
    description:
      'TCP/UDP/ICMP/raw flows from /proc/net/{tcp,tcp6,udp,udp6,icmp,icmp6,raw,raw6}; process via /proc/<pid>/fd; TCP bytes from `ss -tinH`.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const sockets = await readOwnedSockets(NETWORK_ACTIVITY_ID, context, errors);
      const listening = new Set<string>();
      for (const o of sockets) {
        if (o.socket.protocol === 'tcp' && o.socket.state === STATE_LISTEN) {
          listening.add(`${o.socket.localAddress}|${o.socket.localPort}`);
        }
      }
      const current = new Map<string, { bytesIn: number; bytesOut: number }>();
      // `new` reports only flows absent from the previous run; the rest need every flow's counters.
      const candidates: { owned: OwnedSocket; id: string }[] = [];
      for (const o of sockets) {
        if (!isFlow(o.socket)) continue;
        const id = identity(o.socket);
        if (report !== 'new' || !previous.has(id)) candidates.push({ owned: o, id });
        else current.set(id, NO_BYTES);
      }
      // `ss` prints every TCP socket of the host; asked only when a reported flow needs counters.
      const tcp = candidates.filter((c) => c.owned.socket.protocol === 'tcp');
      const bytes =
        options.tcpBytes === false || tcp.length === 0
          ? undefined
          : await readTcpBytes(
              context.system,
              context.signal,
              report === 'new' ? new Set(tcp.map((c) => socketFlowKey(c.owned.socket))) : undefined,
            );
      const lookup: BytesLookup = (s) => bytes?.get(socketFlowKey(s));
      const flows: NetworkFlow[] = [];
      for (const { owned, id } of candidates) {
        const flow = toFlow(owned, listening, lookup);
        const seen = { bytesIn: flow.bytesIn ?? 0, bytesOut: flow.bytesOut ?? 0 };
        current.set(id, report === 'new' ? NO_BYTES : seen);
        const before = previous.get(id);
        if (report === 'all' || before === undefined) flows.push(flow);
        else if (report === 'active' && flow.bytesIn !== undefined && flow.bytesOut !== undefined) {
          const bytesIn = flow.bytesIn - before.bytesIn;
          const bytesOut = flow.bytesOut - before.bytesOut;
          // Counters only grow while a connection lives; a drop means a new connection on the same tuple.
          if (bytesIn < 0 || bytesOut < 0) flows.push(flow);
          else if (bytesIn > 0 || bytesOut > 0) flows.push({ ...flow, bytesIn, bytesOut });
        }
      }
      previous = current;
      if (flows.length === 0) return { events: [], errors };
      const header = eventHeader(context, 'ConnectionCreate', 'Triggered');
      return { events: [{ ...header, kind: 'network-activity', flows }], errors };
    },
  };
}
