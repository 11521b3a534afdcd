/**
 * Parser of the socket tables in `/proc/net/{tcp,tcp6,udp,udp6,raw,raw6,icmp,icmp6}`.
 *
 * Every table has the same columns (`sl local_address rem_address st … uid timeout inode …`);
 * addresses and ports are hexadecimal (see `inet-address.ts`). The kernel exposes no byte counters
 * here: those come from `ss -tin` (`ss-info.ts`) when iproute2 is installed.
 */
import { decodeIpv4Hex, decodeIpv6Hex, decodePortHex } from './inet-address.js';

/** The protocol family of a table: its file name without the `6`. */
export type SocketTableProtocol = 'tcp' | 'udp' | 'raw' | 'icmp';

/** TCP states by the kernel's number (`include/net/tcp_states.h`); UDP reuses 01 and 07. */
export const TCP_STATES: Readonly<Record<number, string>> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

/** One line of a socket table. */
export interface SocketEntry {
  readonly protocol: SocketTableProtocol;
  readonly ipVersion: 4 | 6;
  readonly localAddress: string;
  /** For raw sockets, the IP protocol number the socket receives. */
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Kernel state number; name it with {@link TCP_STATES}. */
  readonly state: number;
  /** Owning user id. */
  readonly uid: number;
  /** Socket inode; 0 for sockets no process holds yet (in an accept queue, TIME_WAIT). */
  readonly inode: number;
}

/** A line that could not be parsed, by number (1-based, header included). */
export interface SocketTableProblem {
  readonly line: number;
  readonly message: string;
}

/** Parse outcome: good entries and the lines skipped. */
export interface SocketTable {
  readonly entries: readonly SocketEntry[];
  readonly problems: readonly SocketTableProblem[];
}

function splitEndpoint(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon < 0) throw new Error(`endpoint without port: ${text}`);
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/** Columns a socket line must have (`sl local rem st tx:rx tr:when retrnsmt uid timeout inode`). */
const COLUMNS = 10;

/**
 * The first {@link COLUMNS} white-space separated fields of `line[start, end)`, into `out`; returns
 * how many were found. A hand scan instead of `trim().split(/\s+/)`: a table of 60,000 sockets
 * (a busy host's TIME_WAITs) would otherwise allocate a million field strings per read, most of
 * them (queues, timers) never looked at.
 */
function scanFields(text: string, start: number, end: number, out: string[]): number {
  let count = 0;
  let i = start;
  while (i < end && count < COLUMNS) {
    while (i < end && isSpace(text.charCodeAt(i))) i += 1;
    if (i >= end) break;
    const from = i;
    while (i < end && !isSpace(text.charCodeAt(i))) i += 1;
    out[count] = text.slice(from, i);
    count += 1;
  }
  return count;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

function parseLine(
  protocol: SocketTableProtocol,
  ipVersion: 4 | 6,
  fields: readonly string[],
  count: number,
  addresses: Map<string, string>,
): SocketEntry {
  if (count < COLUMNS) throw new Error(`expected at least 10 columns, got ${count}`);
  const decode = ipVersion === 4 ? decodeIpv4Hex : decodeIpv6Hex;
  // Most sockets share a handful of addresses (loopback, the host's own); one string each.
  const address = (hex: string): string => {
    let text = addresses.get(hex);
    if (text === undefined) {
      text = decode(hex);
      addresses.set(hex, text);
    }
    return text;
  };
  const [localHex, localPortHex] = splitEndpoint(fields[1] ?? '');
  const [remoteHex, remotePortHex] = splitEndpoint(fields[2] ?? '');
  const state = Number.parseInt(fields[3] ?? '', 16);
  const uid = Number(fields[7]);
  const inode = Number(fields[9]);
  if (!Number.isInteger(state) || !Number.isInteger(uid) || !Number.isInteger(inode)) {
    throw new Error('state, uid or inode is not a number');
  }
  return {
    protocol,
    ipVersion,
    localAddress: address(localHex),
    localPort: decodePortHex(localPortHex),
    remoteAddress: address(remoteHex),
    remotePort: decodePortHex(remotePortHex),
    state,
    uid,
    inode,
  };
}

/** Parses the text of one socket table; bad lines are reported, not fatal. */
export function parseSocketTable(protocol: SocketTableProtocol, ipVersion: 4 | 6, text: string): SocketTable {
  const entries: SocketEntry[] = [];
  const problems: SocketTableProblem[] = [];
  const fields: string[] = [];
  const addresses = new Map<string, string>();
  let start = 0;
  // Walked line by line in place: no array of 60,000 line strings for a busy host.
  for (let index = 0; start < text.length; index += 1) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const count = index === 0 ? 0 : scanFields(text, start, end, fields); // line 1 is the header
    if (count > 0) {
      try {
        entries.push(parseLine(protocol, ipVersion, fields, count, addresses));
      } catch (error) {
        problems.push({ line: index + 1, message: error instanceof Error ? error.message : String(error) });
      }
    }
    start = end + 1;
  }
  return { entries, problems };
}

/** The table files of `/proc/net`, with what each holds. */
export const SOCKET_TABLES: readonly { file: string; protocol: SocketTableProtocol; ipVersion: 4 | 6 }[] = [
  { file: 'tcp', protocol: 'tcp', ipVersion: 4 },
  { file: 'tcp6', protocol: 'tcp', ipVersion: 6 },
  { file: 'udp', protocol: 'udp', ipVersion: 4 },
  { file: 'udp6', protocol: 'udp', ipVersion: 6 },
  { file: 'icmp', protocol: 'icmp', ipVersion: 4 },
  { file: 'icmp6', protocol: 'icmp', ipVersion: 6 },
  { file: 'raw', protocol: 'raw', ipVersion: 4 },
  { file: 'raw6', protocol: 'raw', ipVersion: 6 },
];

/** TCP `LISTEN`. */
export const STATE_LISTEN = 10;
/** UDP/raw sockets with no peer (`ss` prints `UNCONN`). */
export const STATE_CLOSE = 7;

/** True for sockets that wait for peers: TCP in LISTEN, and UDP bound without a peer. */
export function isListening(entry: SocketEntry): boolean {
  if (entry.protocol === 'tcp') return entry.state === STATE_LISTEN;
  if (entry.protocol === 'udp') return entry.state === STATE_CLOSE;
  return false;
}
