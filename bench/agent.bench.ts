/**
 * The agent's footprint (issue 5 acceptance: ≤ 1% of one core averaged, ≤ 60 MB RSS): the agent runs
 * as its own plain-Node process from the compiled package (no TypeScript loader in the measured
 * process) at default settings — except the first collection, which starts at once instead of
 * 30–89 s in, so the whole window is steady collection — against a local hub over MQTT/TLS with a
 * CA file, while this process holds 1,000 loopback TCP connections open. Over the window
 * (`VIGIL_BENCH_AGENT_SECONDS`, default 60) it reports the agent's CPU time as % of one core and its
 * peak RSS, next to peers measured in the same run: an idle `node` process and a shell running
 * `ss -tanH` every 10 s (the High priority interval), i.e. what asking the kernel costs by itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeviceServices, createHub } from '@vigil/hub';

const SECONDS = Number(process.env.VIGIL_BENCH_AGENT_SECONDS ?? 60);
const CONNECTIONS = 1_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
const key = Buffer.alloc(32, 9).toString('base64');
const other = Buffer.alloc(32, 8).toString('base64');
await hub.store.identities.create({
  deviceId: 'bench',
  moduleId: null,
  auth: { type: 'sas', primaryKey: other, secondaryKey: other },
});
await hub.store.identities.create({
  deviceId: 'bench',
  moduleId: 'azureiotsecurity',
  auth: { type: 'sas', primaryKey: key, secondaryKey: other },
});
const caFile = join(work, 'ca.pem');
writeFileSync(caFile, hub.caCertificatePem);

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
const children: ChildProcess[] = [];
const nodeFlags = (process.env.VIGIL_BENCH_AGENT_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
const agent = spawn(process.execPath, [...nodeFlags, '--input-type=module', '-e', agentScript], {
  env: {
    VIGIL_BENCH_AGENT_MEMORY: process.env.VIGIL_BENCH_AGENT_MEMORY,
    PATH: process.env.PATH,
    VIGIL_AGENT_CONNECTION_STRING: `HostName=localhost;DeviceId=bench;ModuleId=azureiotsecurity;SharedAccessKey=${key};GatewayHostName=localhost:${hub.addresses.mqtts?.port}`,
    VIGIL_AGENT_CA_FILE: caFile,
    VIGIL_AGENT_DATA_DIR: join(work, 'agent'),
    VIGIL_AGENT_FIRST_COLLECTION_SECONDS: '0',
    VIGIL_AGENT_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const ssLoop = spawn('sh', ['-c', 'while :; do ss -tanH > /dev/null; sleep 10; done'], { stdio: 'ignore' });
children.push(agent, idle, ssLoop);

try {
  const identity = { deviceId: 'bench', moduleId: 'azureiotsecurity' };
  for (let i = 0; i < 100 && !hub.channel.isConnected(identity); i++) await sleep(100);
  if (!hub.channel.isConnected(identity)) throw new Error('the agent did not connect to the hub');
  const pids = { agent: agent.pid ?? 0, idle: idle.pid ?? 0, ss: ssLoop.pid ?? 0 };
  const startup = cpuSeconds(pids.agent);
  const before = { agent: startup, idle: cpuSeconds(pids.idle), ss: cpuSeconds(pids.ss, true) };
  const started = performance.now();
  let rssSum = 0;
  let samples = 0;
  while (performance.now() - started < SECONDS * 1000) {
    await sleep(1000);
    rssSum += memory(pids.agent).rss;
    samples++;
  }
  if (process.env.VIGIL_BENCH_AGENT_SNAPSHOT) {
    agent.kill('SIGUSR2');
    await sleep(5000);
  }
  const elapsed = (performance.now() - started) / 1000;
  const share = (pid: number, from: number, children = false) =>
    ((cpuSeconds(pid, children) - from) / elapsed) * 100;
  const agentCpu = share(pids.agent, before.agent);
  const agentMemory = memory(pids.agent);
  const rows = [
    ['agent (runAgent, defaults)', agentCpu, agentMemory.peak, rssSum / samples],
    ['peer: idle node process', share(pids.idle, before.idle), memory(pids.idle).peak, memory(pids.idle).rss],
    ['peer: ss -tanH every 10 s', share(pids.ss, before.ss, true), memory(pids.ss).peak, memory(pids.ss).rss],
  ] as const;
  process.stdout.write(
    `${CONNECTIONS} loopback connections open; window ${elapsed.toFixed(1)} s; agent start-up CPU ${startup.toFixed(2)} s\n`,
  );
  process.stdout.write(
    '| process | CPU % of one core | peak RSS MB | mean RSS MB |\n| --- | --- | --- | --- |\n',
  );
  for (const [name, cpu, peak, mean] of rows) {
    process.stdout.write(`| ${name} | ${cpu.toFixed(3)} | ${peak.toFixed(1)} | ${mean.toFixed(1)} |\n`);
  }
  process.stdout.write(
    `goal: ≤ 1% CPU, ≤ 60 MB RSS → ${agentCpu <= 1 ? 'met' : 'NOT met'} / ${agentMemory.peak <= 60 ? 'met' : 'NOT met'}\n`,
  );
} finally {
  if (agent.exitCode === null) {
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
