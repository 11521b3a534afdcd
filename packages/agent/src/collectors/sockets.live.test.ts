/**
 * Acceptance on the live machine: the agent's listening ports equal `ss -tulnH` and its TCP
 * connections equal `ss -tanH`, read at the same moment. Other processes open and close sockets
 * meanwhile, so `ss` is read before and after the agent: whatever both reads agree on must be in the
 * agent's answer, and the agent may report nothing that neither read saw.
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeningPort, NetworkFlow } from '@vigil/protocol';
import { createNodeSystem, parseSsSockets } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import { createListeningPortsCollector } from './listening-ports.js';
import { createNetworkActivityCollector } from './network-activity.js';

const hasSs = (() => {
  try {
    execFileSync('ss', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

// The install script installs iproute2: under CI a missing `ss` is a broken machine, not a skip.
if (!hasSs) {
  if (process.env['CI'] === 'true') throw new Error('`ss` (iproute2) is not installed; CI=true requires it');
  console.warn('live socket tests skipped: `ss` (iproute2) is not installed');
}

const SS_STATE: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  NEW_SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE: 'UNCONN',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
  CLOSING: 'CLOSING',
};

/** `ss` prints the dual-stack any address (an AF_INET6 socket on `::` without v6only) as `*`. */
const ssAddress = (a: string): string => (a === '*' ? '::' : a);

function ssSet(
  args: string[],
  keep: (s: ReturnType<typeof parseSsSockets>[number]) => string | undefined,
): Set<string> {
  // A busy machine (a benchmark holding 20,000 sockets) prints megabytes; the default 1 MiB buffer fails.
  const text = execFileSync('ss', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return new Set(parseSsSockets(text).flatMap((s) => keep(s) ?? []));
}

const context = () => createCollectorContext({ system: createNodeSystem() });

const sameSet = (a: Set<string>, b: Set<string>): boolean =>
  a.size === b.size && [...a].every((k) => b.has(k));

/**
 * Reads `ss` before and after the agent, up to five times. When both `ss` reads agree (nothing opened
 * or closed meanwhile) the agent must report exactly that set. If the machine never holds still,
 * the last attempt must still agree on everything both reads saw, and the agent may report nothing
 * neither saw. Returns the agent's set of the attempt that decided.
 */
async function expectSameAsSs(
  ssArgs: string[],
  keyOf: (s: ReturnType<typeof parseSsSockets>[number]) => string | undefined,
  agentRead: () => Promise<Set<string>>,
): Promise<Set<string>> {
  let last: { before: Set<string>; agent: Set<string>; after: Set<string> } | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = ssSet(ssArgs, keyOf);
    const agent = await agentRead();
    const after = ssSet(ssArgs, keyOf);
    if (sameSet(before, after)) {
      expect([...agent].sort()).toEqual([...before].sort());
      return agent;
    }
    last = { before, agent, after };
  }
  const { before, agent, after } = last!;
  const stable = [...before].filter((k) => after.has(k));
  const seen = new Set([...before, ...after]);
  expect(stable.filter((k) => !agent.has(k))).toEqual([]);
  expect([...agent].filter((k) => !seen.has(k))).toEqual([]);
  return agent;
}

describe.skipIf(!hasSs)('live machine sockets', () => {
  const servers: net.Server[] = [];
  const udp: dgram.Socket[] = [];
  const clients: net.Socket[] = [];
  const accepted: net.Socket[] = [];
  const own: Record<string, number> = {};

  beforeAll(async () => {
    for (const [name, host] of [
      ['v4', '127.0.0.1'],
      ['v6', '::1'],
      ['dual', '::'],
    ] as const) {
      const server = net.createServer((s) => accepted.push(s));
      await new Promise<void>((resolve) => server.listen(0, host, resolve));
      servers.push(server);
      own[name] = (server.address() as net.AddressInfo).port;
    }
    for (const type of ['udp4', 'udp6'] as const) {
      const socket = dgram.createSocket(type);
      await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
      udp.push(socket);
    }
    for (const [port, host] of [
      [own.v4, '127.0.0.1'],
      [own.v6, '::1'],
      [own.dual, '127.0.0.1'],
    ] as const) {
      const client = net.connect(port!, host);
      await new Promise<void>((resolve) => client.once('connect', resolve));
      client.write('hello');
      clients.push(client);
    }
    await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(() => {
    for (const s of [...clients, ...accepted]) s.destroy();
    for (const s of servers) s.close();
    for (const s of udp) s.close();
  });

  it('reports the same listening ports as ss -tulnH', async () => {
    const keyOf = (s: ReturnType<typeof parseSsSockets>[number]) =>
      `${s.netid}|${ssAddress(s.localAddress)}|${s.localPort}`;
    let ports: ListeningPort[] = [];
    const agent = await expectSameAsSs(['-tulnH'], keyOf, async () => {
      const event = (await createListeningPortsCollector().collect(context())).events[0];
      if (event?.kind !== 'listening-ports') throw new Error('no listening-ports event');
      ports = [...event.ports];
      return new Set(ports.map((p) => `${p.protocol}|${p.localAddress}|${p.localPort}`));
    });
    expect(agent.has(`tcp|127.0.0.1|${own.v4}`)).toBe(true);
    expect(agent.has(`tcp|::1|${own.v6}`)).toBe(true);
    expect(agent.has(`tcp|::|${own.dual}`)).toBe(true);
    expect(agent.has(`udp|127.0.0.1|${udp[0]!.address().port}`)).toBe(true);
    expect(ports.find((p) => p.localPort === String(own.v4))?.extraDetails?.Pid).toBe(String(process.pid));
  });

  it('reports the same TCP connections as ss -tanH, with this process as owner', async () => {
    const keyOf = (s: ReturnType<typeof parseSsSockets>[number]) =>
      s.state === 'LISTEN'
        ? undefined
        : `${s.state}|${s.localAddress}|${s.localPort}|${s.remoteAddress}|${s.remotePort}`;
    let tcp: NetworkFlow[] = [];
    await expectSameAsSs(['-tanH'], keyOf, async () => {
      const event = (await createNetworkActivityCollector({ report: 'all' }).collect(context())).events[0];
      if (event?.kind !== 'network-activity') throw new Error('no network-activity event');
      tcp = event.flows.filter((f) => f.protocol === 'tcp');
      return new Set(
        tcp.map(
          (f) =>
            `${SS_STATE[f.extraDetails?.State ?? ''] ?? '?'}|${f.localAddress}|${f.localPort}|${f.remoteAddress}|${f.remotePort}`,
        ),
      );
    });
    const mine = tcp.filter((f) => f.processId === process.pid && f.direction === 'out');
    expect(mine.map((f) => Number(f.remotePort)).sort()).toEqual([own.v4, own.v6, own.dual].sort());
    const mapped = tcp.find((f) => f.localPort === String(own.dual) && f.direction === 'in');
    expect(mapped?.localAddress).toBe('::ffff:127.0.0.1');
    // Bytes come from ss -tinH: our clients each wrote 5 bytes.
    expect(mine.every((f) => (f.bytesOut ?? 0) >= 5)).toBe(true);
  });
});
