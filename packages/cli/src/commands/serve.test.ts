import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin.ts');
let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** `vigil serve` as its own process, the way an operator starts it (sources through tsx). */
function serve(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--conditions=@vigil/source', '--import', 'tsx', bin, 'serve', ...args], {
    env: { ...process.env, VIGIL_DATA_DIR: '', VIGIL_API_PORT: '' },
  });
}

/** Collects stdout until `pattern` appears (or the process ends, which fails the wait). */
function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} in:\n${out}`)), 45_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigil serve exited with ${code} before ${String(pattern)}:\n${out}`));
    });
  });
}

function exited(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('vigil serve', () => {
  it('prints the dashboard URL and an admin token once, serves the API, and stops cleanly on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-serve-'));
    const args = ['--data-dir', dir, '--api-port', '0', '--mqtts-port', '0', '--wss-port', 'off'];
    const first = serve(args);
    const out = await waitFor(first, /Admin API token \(shown once; keep it safe\):\n {2}(vgl_\S+)\n/);
    const url = /dashboard and API {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    const token = /\n {2}(vgl_\S+)\n/.exec(out)![1]!;
    const posture = await fetch(`${url}/api/posture`, { headers: { authorization: `Bearer ${token}` } });
    expect(posture.status).toBe(200);
    const refused = await fetch(`${url}/api/posture`, { headers: { authorization: 'Bearer vgl_wrong' } });
    expect(refused.status).toBe(401);
    const stopped = exited(first);
    first.kill('SIGTERM');
    const { code, stdout } = await stopped;
    expect(stdout).toContain('SIGTERM: stopping (finishing in-flight work)');
    expect(code).toBe(0);

    // The token is shown once: a restart on the same data keeps it valid and prints none.
    const second = serve(args);
    const again = await waitFor(
      second,
      /dashboard and API {2}http:\/\/127\.0\.0\.1:\d+\n(?:.*\n)*?.*port \d+\n/,
    );
    const secondUrl = /dashboard and API {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(again)![1]!;
    const reused = await fetch(`${secondUrl}/api/posture`, { headers: { authorization: `Bearer ${token}` } });
    expect(reused.status).toBe(200);
    const secondStopped = exited(second);
    second.kill('SIGTERM');
    const secondRun = await secondStopped;
    expect(again + secondRun.stdout).not.toContain('Admin API token');
    expect(secondRun.code).toBe(0);
  });

  it('lists every problem of its settings with where each came from, and starts nothing', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'vigil-serve-bad-'));
    const config = join(scratch, 'vigil.json');
    await writeFile(config, JSON.stringify({ apiPort: 'eighty' }));
    const child = serve([
      '--config',
      config,
      '--data-dir',
      join(scratch, 'data'),
      '--device-silent-after',
      'soon',
    ]);
    const { code, stderr } = await exited(child);
    const created = existsSync(join(scratch, 'data'));
    await rm(scratch, { recursive: true, force: true });
    expect(created).toBe(false);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/apiPort/);
    expect(stderr).toMatch(/deviceSilentAfter|device-silent-after/);
  });
});
