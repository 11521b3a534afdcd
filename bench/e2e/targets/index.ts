/**
 * The systems the suite measures, started the same way from the orchestrator: the acknowledge-only
 * sink, bare Aedes, bare Mosquitto and Vigil (whole server, or hub alone). Each runs in its own
 * process; the Node ones answer calls (stats, profiling) over IPC.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from '../child.js';
import type { TargetAddress } from '../load-worker.js';
import type { ListenTls } from './listen.js';
import { startMosquitto } from './mosquitto.js';
import type { VigilEndpoints } from './vigil.js';

export { startMosquitto, MOSQUITTO_BINARY } from './mosquitto.js';
export type { VigilEndpoints, VigilStats } from './vigil.js';
export type { ListenTls } from './listen.js';

const entry = (name: string): string => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

/** A target the load can be pointed at. */
export interface RunningTarget {
  readonly name: string;
  readonly address: TargetAddress;
  readonly pid: number;
  /** The IPC handle of a Node target (profiling, stats); undefined for Mosquitto. */
  readonly child: Child | undefined;
  readonly endpoints?: VigilEndpoints;
  stop(): Promise<void>;
}

/** Server certificate material for the non-Vigil targets, and the CA the generator trusts. */
export interface BenchTls extends ListenTls {
  readonly caCertificatePem: string;
}

const address = (port: number, tls: BenchTls | null): TargetAddress => ({
  host: '127.0.0.1',
  port,
  tls: tls === null ? null : { ca: tls.caCertificatePem, servername: 'localhost' },
});

async function stopChild(child: Child): Promise<void> {
  child.process.disconnect();
  await child.exited;
}

/** The acknowledge-only sink or bare Aedes, plain or TLS. */
export async function startNodeTarget(
  kind: 'sink' | 'aedes-bare',
  tls: BenchTls | null,
): Promise<RunningTarget> {
  const child = startChild(entry(kind));
  const port = await child.call<number>('start', tls);
  return {
    name: kind,
    address: address(port, tls),
    pid: child.process.pid ?? 0,
    child,
    stop: () => stopChild(child),
  };
}

/** Bare Mosquitto in `dir` (plain and TLS listeners; `useTls` picks one); undefined when not installed. */
export async function startMosquittoTarget(
  dir: string,
  tls: BenchTls,
  useTls: boolean,
): Promise<RunningTarget | undefined> {
  const broker = await startMosquitto(mkdtempSync(join(dir, 'mosquitto-')), tls);
  if (broker === undefined) return undefined;
  return {
    name: `Mosquitto ${broker.version}`,
    address: address(useTls ? broker.tlsPort : broker.port, useTls ? tls : null),
    pid: broker.process.pid ?? 0,
    child: undefined,
    stop: () => broker.stop(),
  };
}

/**
 * Vigil on a fresh copy of the registry directory (identities already registered): the whole
 * server, or the hub alone. `tls` picks which of its two listeners the load uses.
 */
export async function startVigilTarget(
  mode: 'server' | 'hub',
  registryDir: string,
  workDir: string,
  tls: boolean,
): Promise<RunningTarget> {
  const dataDir = mkdtempSync(join(workDir, `vigil-${mode}-`));
  cpSync(registryDir, dataDir, { recursive: true });
  const child = startChild(entry('vigil'));
  const endpoints = await child.call<VigilEndpoints>(mode === 'server' ? 'startServer' : 'startHub', dataDir);
  return {
    name: mode === 'server' ? 'Vigil server' : 'Vigil hub only',
    address: {
      host: '127.0.0.1',
      port: tls ? endpoints.mqttsPort : endpoints.mqttPort,
      tls: tls ? { ca: endpoints.ca, servername: 'localhost' } : null,
    },
    pid: child.process.pid ?? 0,
    child,
    endpoints,
    async stop() {
      await child.call('stop').catch(() => undefined);
      await child.exited;
    },
  };
}

/** Registers device groups on a tmpfs directory (fast fsyncs) and returns it, ready to copy. */
export async function prepareRegistry(
  groups: readonly { group: string; count: number }[],
): Promise<{ readonly dir: string; readonly seconds: number }> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'vigil-bench-registry-'));
  const started = performance.now();
  const child = startChild(entry('vigil'));
  await child.call('register', { dataDir: dir, groups });
  await stopChild(child);
  return { dir, seconds: (performance.now() - started) / 1000 };
}

/** CPU seconds (user + system) a process has used, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}
