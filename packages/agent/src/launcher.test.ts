import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The launcher runs the compiled package, the way a device installs it.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(packageDir, 'bin', 'vigil-agent');
const work = mkdtempSync(join(tmpdir(), 'vigil-launcher-'));

beforeAll(() => {
  const build = spawnSync('npx', ['tsc', '-b', packageDir], { encoding: 'utf8', timeout: 240_000 });
  if (build.status !== 0) throw new Error(`cannot build the agent package:\n${build.stdout}${build.stderr}`);
}, 250_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('bin/vigil-agent', () => {
  it('refuses a configuration without a connection string, naming it, with exit code 2', () => {
    const run = spawnSync(launcher, [], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, VIGIL_AGENT_DATA_DIR: join(work, 'refused') },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('refused:');
    expect(run.stderr).toContain('connectionString');
  });

  it('runs the agent as one node process with the device flags, and stops cleanly on SIGTERM', async () => {
    const port = await closedPort();
    const key = Buffer.alloc(32, 3).toString('base64');
    const child = spawn(launcher, [], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        VIGIL_AGENT_CONNECTION_STRING: `HostName=localhost;DeviceId=launcher;ModuleId=azureiotsecurity;SharedAccessKey=${key};GatewayHostName=127.0.0.1:${port}`,
        VIGIL_AGENT_TRANSPORT: 'mqtt',
        VIGIL_AGENT_DATA_DIR: join(work, 'running'),
      },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const started = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (text: string) => {
        stderr += text;
        if (stderr.includes('agent started')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before starting:\n${stderr}`)));
    });
    await started;
    // `exec`: the launcher's pid is now node's, and its command line carries the flags.
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=1');
    expect(argv).toContain('--lite-mode');
    expect(argv.some((a) => a.endsWith(join('dist', 'bin.js')))).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('agent stopped');
  }, 60_000);
});
