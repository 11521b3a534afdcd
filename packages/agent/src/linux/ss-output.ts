/**
 * Parsers for `ss` (iproute2) output: socket lines of `ss -tulnH`/`ss -tanH`, and the byte counters
 * of `ss -tinH`, which the kernel exposes through netlink but not in `/proc/net/tcp`.
 */

/** One socket line of `ss -H` output. */
export interface SsSocket {
  /** `tcp`, `udp`… when `ss` printed a Netid column (several protocols asked for). */
  readonly netid?: string;
  /** `LISTEN`, `ESTAB`, `UNCONN`, `TIME-WAIT`… */
  readonly state: string;
  readonly localAddress: string;
  readonly localPort: string;
  readonly remoteAddress: string;
  readonly remotePort: string;
}

/** Byte counters of one TCP connection. */
export interface TcpBytes {
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/**
 * Splits `addr:port` as `ss` prints it: IPv6 in brackets (`[::1]:22`), an interface suffix
 * (`127.0.0.53%lo:53`) dropped, and `*` kept (the dual-stack any address).
 */
export function splitSsEndpoint(text: string): { address: string; port: string } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) throw new Error(`endpoint without port: ${text}`);
  let address = text.slice(0, colon);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const percent = address.indexOf('%');
  if (percent >= 0) address = address.slice(0, percent);
  return { address, port: text.slice(colon + 1) };
}

const STATES = new Set([
  'ESTAB',
  'LISTEN',
  'UNCONN',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'CLOSE-WAIT',
  'LAST-ACK',
  'CLOSING',
  'CLOSED',
  'UNKNOWN',
]);

/** Parses the socket lines of `ss -H` output (info lines, which start with white space, are skipped). */
export function parseSsSockets(text: string): SsSocket[] {
  const out: SsSocket[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) continue;
    const fields = line.trim().split(/\s+/);
    const hasNetid = !STATES.has(fields[0] ?? '');
    const offset = hasNetid ? 1 : 0;
    const state = fields[offset];
    const local = fields[offset + 3];
    const remote = fields[offset + 4];
    if (state === undefined || local === undefined || remote === undefined) continue;
    const l = splitSsEndpoint(local);
    const r = splitSsEndpoint(remote);
    const base = {
      state,
      localAddress: l.address,
      localPort: l.port,
      remoteAddress: r.address,
      remotePort: r.port,
    };
    out.push(hasNetid && fields[0] !== undefined ? { netid: fields[0], ...base } : base);
  }
  return out;
}

/** The key {@link parseSsTcpBytes} files counters under. */
export function flowKey(
  localAddress: string,
  localPort: number | string,
  remoteAddress: string,
  remotePort: number | string,
): string {
  return `${localAddress}|${localPort}|${remoteAddress}|${remotePort}`;
}

const COUNTERS = {
  bytes_sent: /(?:^|\s)bytes_sent:(\d+)/,
  bytes_acked: /(?:^|\s)bytes_acked:(\d+)/,
  bytes_received: /(?:^|\s)bytes_received:(\d+)/,
} as const;

function counter(info: string, name: keyof typeof COUNTERS): number | undefined {
  const match = COUNTERS[name].exec(info);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Byte counters from `ss -tinH`: each socket line is followed by an indented info line with
 * `bytes_sent:` (or, on older kernels, only `bytes_acked:`) and `bytes_received:`; a counter the
 * kernel omits is zero. With `wanted`, only those flow keys are kept (and only their info lines
 * searched): a busy host prints tens of thousands of sockets, of which a run needs the new few.
 */
export function parseSsTcpBytes(text: string, wanted?: ReadonlySet<string>): Map<string, TcpBytes> {
  const out = new Map<string, TcpBytes>();
  let current: string | undefined;
  let start = 0;
  // Walked in place rather than split: the output of a busy host runs to megabytes.
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      const socket = parseSsSockets(line)[0];
      current =
        socket === undefined
          ? undefined
          : flowKey(socket.localAddress, socket.localPort, socket.remoteAddress, socket.remotePort);
      if (current !== undefined && wanted !== undefined && !wanted.has(current)) current = undefined;
      continue;
    }
    if (current === undefined) continue;
    const bytesOut = counter(line, 'bytes_sent') ?? counter(line, 'bytes_acked') ?? 0;
    const bytesIn = counter(line, 'bytes_received') ?? 0;
    out.set(current, { bytesIn, bytesOut });
    current = undefined;
  }
  return out;
}
