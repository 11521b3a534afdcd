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
import { createNodeSystem } from '../linux/node-system.js';
import { parseSsSockets } from '../linux/ss-output.js';
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
  const text = execFileSync('ss', args, { encoding: 'utf8' });
  return new Set(parseSsSockets(text).flatMap((s) => keep(s) ?? []));
}

const context = () => createCollectorContext({ system: createNodeSystem() });

/** Every key both ss reads saw is in `agent`, and `agent` has nothing neither saw. */
function expectAgreement(agent: Set<string>, before: Set<string>, after: Set<string>): void {
  const stable = [...before].filter((k) => after.has(k));
  const seen = new Set([...before, ...after]);
  expect(stable.filter((k) => !agent.has(k))).toEqual([]);
  expect([...agent].filter((k) => !seen.has(k))).toEqual([]);
}

describe.skipIf(!hasSs)('live machine sockets', () => {
  const servers: net.Server[] = [];
  const udp: dgram.Socket[] = [];
  const clients: net.Socket[] = [];
  const accepted: net.Socket[] = [];
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    for (const [name, host] of [
      ['v4', '127.0.0.1'],
      ['v6', '::1'],
      ['dual', '::'],
    ] as const) {
      const server = net.createServer((s) => accepted.push(s));
      await new Promise<void>((resolve) => server.listen(0, host, resolve));
      servers.push(server);
      ports[name] = (server.address() as net.AddressInfo).port;
    }
    for (const type of ['udp4', 'udp6'] as const) {
      const socket = dgram.createSocket(type);
      await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
      udp.push(socket);
    }
    for (const [port, host] of [
      [ports.v4, '127.0.0.1'],
      [ports.v6, '::1'],
      [ports.dual, '127.0.0.1'],
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
    const before = ssSet(['-tulnH'], keyOf);
    const result = await createListeningPortsCollector().collect(context());
    const after = ssSet(['-tulnH'], keyOf);
    const event = result.events[0];
    if (event?.kind !== 'listening-ports') throw new Error('no listening-ports event');
    const agent = new Set(event.ports.map((p) => `${p.protocol}|${p.localAddress}|${p.localPort}`));
    expect(agent.has(`tcp|127.0.0.1|${ports.v4}`)).toBe(true);
    expect(agent.has(`tcp|::1|${ports.v6}`)).toBe(true);
    expect(agent.has(`tcp|::|${ports.dual}`)).toBe(true);
    expect(agent.has(`udp|127.0.0.1|${udp[0]!.address().port}`)).toBe(true);
    expectAgreement(agent, before, after);
    const mine = event.ports.find((p) => p.localPort === String(ports.v4));
    expect(mine?.extraDetails?.Pid).toBe(String(process.pid));
  });

  it('reports the same TCP connections as ss -tanH, with this process as owner', async () => {
    const keyOf = (s: ReturnType<typeof parseSsSockets>[number]) =>
      s.state === 'LISTEN'
        ? undefined
        : `${s.state}|${s.localAddress}|${s.localPort}|${s.remoteAddress}|${s.remotePort}`;
    const before = ssSet(['-tanH'], keyOf);
    const result = await createNetworkActivityCollector({ report: 'all' }).collect(context());
    const after = ssSet(['-tanH'], keyOf);
    const event = result.events[0];
    if (event?.kind !== 'network-activity') throw new Error('no network-activity event');
    const tcp = event.flows.filter((f) => f.protocol === 'tcp');
    const agent = new Set(
      tcp.map(
        (f) =>
          `${SS_STATE[f.extraDetails?.State ?? ''] ?? '?'}|${f.localAddress}|${f.localPort}|${f.remoteAddress}|${f.remotePort}`,
      ),
    );
    expectAgreement(agent, before, after);
    const own = tcp.filter((f) => f.processId === process.pid && f.direction === 'out');
    expect(own.map((f) => Number(f.remotePort)).sort()).toEqual([ports.v4, ports.v6, ports.dual].sort());
    const mapped = tcp.find((f) => f.localPort === String(ports.dual) && f.direction === 'in');
    expect(mapped?.localAddress).toBe('::ffff:127.0.0.1');
    // Bytes come from ss -tinH: our clients each wrote 5 bytes.
    expect(own.every((f) => (f.bytesOut ?? 0) >= 5)).toBe(true);
  });
});
