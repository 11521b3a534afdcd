import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { captureIo } from '../testing/capture-io.js';

let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('vigil demo', () => {
  it('starts the server with the demo fleet, whose attacks raise alerts, and prints how to sign in', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-demo-'));
    const io = captureIo();
    const code = await runCli(
      [
        'demo',
        '--data-dir',
        dir,
        '--api-port',
        '0',
        '--mqtts-port',
        '0',
        '--tick-seconds',
        '1',
        '--duration-seconds',
        '12',
      ],
      io,
    );
    const out = io.out();
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/dashboard and API {2}http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/Admin API token \(shown once; keep it safe\):\n {2}vgl_\S{20,}/);
    expect(out).toContain('kiosk-lobby connected (json-agent, as its security module)');
    expect(out).toContain('hmi-line-2 is now under attack: a crypto miner started from /tmp');
    const final = /(\d+) messages analysed · (\d+) active alerts · (\d+) open recommendations\n$/.exec(out);
    expect(final).not.toBeNull();
    expect(Number(final![1])).toBeGreaterThan(20);
    // Five attack scenarios raise alerts (the permissive firewall is a recommendation).
    expect(Number(final![2])).toBeGreaterThanOrEqual(5);
    expect(Number(final![3])).toBeGreaterThan(0);
  }, 60_000);

  it('refuses bad numbers before starting anything', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--api-port', 'http'], io)).toBe(2);
    expect(io.err()).toContain('apiPort');
  });
});
