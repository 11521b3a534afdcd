/**
 * The agent's footprint (issue 5 acceptance: ≤ 1% of one core averaged, ≤ 60 MB RSS). Two agents run
 * side by side from the compiled package (no TypeScript loader in the measured process), at default
 * agent settings — except the first collection, which starts at once instead of 30–89 s in, so the
 * whole window is steady collection — against a local hub over MQTT/TLS with a CA file, while this
 * process holds 1,000 loopback TCP connections open. One agent runs on plain `node`, the other
 * through the device launcher `packages/agent/bin/vigil-agent`, which execs node (same pid) with a
 * 1 MB young generation and V8's lite mode. Over the window (`VIGIL_BENCH_AGENT_SECONDS`, default
 * 60) it reports each agent's CPU time as % of one core and its peak and mean RSS, next to peers
 * measured in the same run: an idle `node` process and a shell running `ss -tanH` every 10 s (the
 * High priority interval), i.e. what asking the kernel costs by itself. It also prints the host's
 * TCP socket count: the agent reads every socket of the machine, and on a shared host other jobs'
 * TIME_WAITs can outnumber the benchmark's 1,000 connections many times over.
 *
 * Found (packages/agent/README.md#footprint): Node alone is ~40 MB; the agent's modules add ~16 MB
 * (≈10 MB of it @vigil/protocol's one entry point, FlatBuffers included); its live heap is ~10 MB;
 * the rest of plain node's RSS is young-generation capacity, which the launcher's flags remove.
 * Socket collection used to allocate per host socket (line arrays, ~17 field strings, a promise,
 * a flow object, a full `ss -tinH` map every 10 s): 230 MB peak and 5% CPU at 60,000 host sockets.
 * Same-hour runs at ~2,000–3,400 host sockets, before → after: plain node 1.08–1.13% CPU, 79–81 MB
 * peak → 0.63–1.01%, 75–81 MB; device flags 1.13–1.23%, 63 MB peak → launcher 0.75–1.20%, 57–60 MB.
 * `VIGIL_BENCH_AGENT_NODE_FLAGS` adds node flags to both agents (e.g. `--cpu-prof --cpu-prof-dir=…`).
 */
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeviceServices, createHub } from '@vigil/hub';

const SECONDS = Number(process.env.VIGIL_BENCH_AGENT_SECONDS ?? 60);
const CONNECTIONS = 1_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(root, 'packages/agent/bin/vigil-agent');
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

/** utime + stime (+ waited-for children's) of a process, in seconds, from /proc/<pid>/stat. */
function cpuSeconds(pid: number, withChildren = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (i: number) => Number(fields[i - 3]);
  return (ticks(14) + ticks(15) + (withChildren ? ticks(16) + ticks(17) : 0)) / ticksPerSecond;
}

/** VmRSS and VmHWM (peak) in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** TCP sockets of the whole host (the agent reads them all, not only the benchmark's). */
function hostTcpSockets(): number {
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = readFileSync(file, 'utf8');
    for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) count++;
  }
  return count;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const build = spawnSync('npx', ['tsc', '-b', 'packages/agent'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`cannot build the agent package:\n${build.stdout}${build.stderr}`);

const work = mkdtempSync(join(tmpdir(), 'vigil-agent-bench-'));
const hub = await createHub({
  hostName: 'localhost',
  dataDir: join(work, 'hub'),
  listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false },
});
const devices = createDeviceServices({ store: hub.store, channel: hub.channel, operations: hub.operations });
for (const service of devices.services) hub.use(service);
await hub.start();
const other = Buffer.alloc(32, 8).toString('base64');
const caFile = join(work, 'ca.pem');
writeFileSync(caFile, hub.caCertificatePem);

/** The flags packages/agent/bin/vigil-agent passes (a 1 MB young generation, lite mode); no old-space cap, see run/README.md. */
const DEVICE_FLAGS = ['--max-semi-space-size=1', '--lite-mode'];
const extraFlags = (process.env.VIGIL_BENCH_AGENT_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
const variants = [
  { name: 'agent, plain node', deviceId: 'bench-plain', flags: extraFlags, launcher: false },
  {
    name: `agent, bin/vigil-agent (node ${DEVICE_FLAGS.join(' ')})`,
    deviceId: 'bench-device',
    flags: [...DEVICE_FLAGS, ...extraFlags],
    launcher: true,
  },
];
const keys = new Map<string, string>();
for (const [index, variant] of variants.entries()) {
  const key = Buffer.alloc(32, index + 1).toString('base64');
  keys.set(variant.deviceId, key);
  const sas = (primaryKey: string) => ({ type: 'sas' as const, primaryKey, secondaryKey: other });
  await hub.store.identities.create({ deviceId: variant.deviceId, moduleId: null, auth: sas(other) });
  await hub.store.identities.create({
    deviceId: variant.deviceId,
    moduleId: 'azureiotsecurity',
    auth: sas(key),
  });
}

// 1,000 loopback connections held open by this process (2,000 socket ends plus the listener).
const accepted: Socket[] = [];
const server = createServer((socket) => void accepted.push(socket));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
const clients = await Promise.all(
  Array.from(
    { length: CONNECTIONS },
    () =>
      new Promise<Socket>((resolve) => {
        const s = createConnection(port, '127.0.0.1', () => resolve(s));
      }),
  ),
);

const agentScript = `
import { runAgent } from ${JSON.stringify(join(root, 'packages/agent/dist/index.js'))};
const agent = await runAgent();
process.on('SIGTERM', () => {
  const m = process.memoryUsage();
  if (process.env.VIGIL_BENCH_AGENT_MEMORY) console.error(JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, (v / 1048576).toFixed(1)]))));
  agent.stop().then(() => process.exit(0));
});
`;
const agents = variants.map((variant) => {
  const env = {
    PATH: process.env.PATH,
    VIGIL_BENCH_AGENT_MEMORY: process.env.VIGIL_BENCH_AGENT_MEMORY,
    VIGIL_AGENT_CONNECTION_STRING: `HostName=localhost;DeviceId=${variant.deviceId};ModuleId=azureiotsecurity;SharedAccessKey=${keys.get(variant.deviceId)};GatewayHostName=localhost:${hub.addresses.mqtts?.port}`,
    VIGIL_AGENT_CA_FILE: caFile,
    VIGIL_AGENT_DATA_DIR: join(work, variant.deviceId),
    VIGIL_AGENT_FIRST_COLLECTION_SECONDS: '0',
    VIGIL_AGENT_LOG_LEVEL: 'error',
  };
  const stdio: StdioOptions = ['ignore', 'inherit', 'inherit'];
  // The device variant starts the way a device does: the launcher execs node (same pid) with its flags.
  if (variant.launcher) {
    return spawn(launcher, [], {
      env: { ...env, VIGIL_NODE: process.execPath, VIGIL_NODE_FLAGS: variant.flags.join(' ') },
      stdio,
    });
  }
  return spawn(process.execPath, [...variant.flags, '--input-type=module', '-e', agentScript], {
    env,
    stdio,
  });
});
const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const ssLoop = spawn('sh', ['-c', 'while :; do ss -tanH > /dev/null; sleep 10; done'], { stdio: 'ignore' });

try {
  for (const variant of variants) {
    const identity = { deviceId: variant.deviceId, moduleId: 'azureiotsecurity' };
    for (let i = 0; i < 100 && !hub.channel.isConnected(identity); i++) await sleep(100);
    if (!hub.channel.isConnected(identity)) throw new Error(`${variant.name} did not connect to the hub`);
  }
  const measured = [
    ...agents.map((a, i) => ({ name: variants[i]?.name ?? '', pid: a.pid ?? 0, children: false })),
    { name: 'peer: idle node process', pid: idle.pid ?? 0, children: false },
    { name: 'peer: ss -tanH every 10 s (shell loop)', pid: ssLoop.pid ?? 0, children: true },
  ];
  const startup = measured.map((m) => cpuSeconds(m.pid, m.children));
  const rssSums = measured.map(() => 0);
  const started = performance.now();
  let samples = 0;
  let socketSum = 0;
  while (performance.now() - started < SECONDS * 1000) {
    await sleep(1000);
    measured.forEach((m, i) => (rssSums[i] = (rssSums[i] ?? 0) + memory(m.pid).rss));
    if (samples % 10 === 0) socketSum += hostTcpSockets();
    samples++;
  }
  if (process.env.VIGIL_BENCH_AGENT_SNAPSHOT) {
    agents[0]?.kill('SIGUSR2');
    await sleep(5000);
  }
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(
    `${CONNECTIONS} loopback connections open (host TCP sockets, mean: ${Math.round(socketSum / Math.ceil(samples / 10))}); ` +
      `window ${elapsed.toFixed(1)} s; agents' start-up CPU ` +
      `${startup
        .slice(0, agents.length)
        .map((s) => `${s.toFixed(2)} s`)
        .join(', ')}\n`,
  );
  process.stdout.write(
    '| process | CPU % of one core | peak RSS MB | mean RSS MB |\n| --- | --- | --- | --- |\n',
  );
  const results = measured.map((m, i) => {
    const cpu = ((cpuSeconds(m.pid, m.children) - (startup[i] ?? 0)) / elapsed) * 100;
    const { peak } = memory(m.pid);
    process.stdout.write(
      `| ${m.name} | ${cpu.toFixed(3)} | ${peak.toFixed(1)} | ${((rssSums[i] ?? 0) / samples).toFixed(1)} |\n`,
    );
    return { cpu, peak };
  });
  for (const [i, variant] of variants.entries()) {
    const r = results[i];
    if (r === undefined) continue;
    process.stdout.write(
      `goal for ${variant.name}: ≤ 1% CPU ${r.cpu <= 1 ? 'met' : 'NOT met'}, ≤ 60 MB RSS ${r.peak <= 60 ? 'met' : 'NOT met'}\n`,
    );
  }
} finally {
  for (const agent of agents) {
    if (agent.exitCode !== null) continue;
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    agent.kill('SIGTERM');
    await exited;
  }
  idle.kill();
  ssLoop.kill();
  for (const socket of [...clients, ...accepted]) socket.destroy();
  server.close();
  await devices.close();
  await hub.stop();
  rmSync(work, { recursive: true, force: true });
}
