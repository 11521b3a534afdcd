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
        '14',
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
    expect(out).toContain('meter-hall-1 connected (rtos)\n');
    expect(out).toContain(
      'badge-reader-2 is now under attack: connection attempts with an expired SAS token (3 refused by the hub)',
    );
    expect(out).toContain(
      "gateway-west is now under attack: subscriptions to and a publish on another device's topics (3 refused by the hub)",
    );
    expect(out).toContain(
      "maint-laptop is now under attack: the hub's CA certificates added and deleted repeatedly, plus a failed add (1 refused by the hub)",
    );
    // No device reported a problem (those lines read "  <device>: <what went wrong>").
    expect(out).not.toMatch(/^ {2}[\w-]+: /m);
    // The dashboard's variety: agent, RTOS (FlatBuffers) and hub alerts, and the demo group's custom rules.
    const breakdown = out.slice(out.indexOf('active alerts by type:'));
    const types = [...breakdown.matchAll(/^ +\d+ × (\S+)/gm)].map((match) => match[1]);
    expect(types).toEqual(
      expect.arrayContaining([
        'Vigil_CryptoMiner',
        'IoT_SuspiciousIpCommunication',
        'IoT_Expired_SAS_Token',
        'IoT_Invalid_SAS_Token',
        'IoT_CertificateSuccessfullyAddedToHub',
        'IoT_CertificateSuccessfullyDeletedFromHub',
        'Hub_CertificateFailedToBeAddedToHub',
        'IoT_CA_UnauthorizedOperationsNotInAllowedRange',
        'IoT_CA_ActiveConnectionsNotInAllowedRange',
      ]),
    );
    // Both suspicious-IP devices: the JSON agent's connection and the RTOS device's FlatBuffers flow.
    expect(breakdown).toMatch(/ {2}2 × IoT_SuspiciousIpCommunication /);
    const final = /(\d+) messages analysed · (\d+) active alerts · (\d+) open recommendations\n$/.exec(out);
    expect(final).not.toBeNull();
    expect(Number(final![1])).toBeGreaterThan(20);
    // Every scenario but the permissive firewall (a recommendation) raises at least one alert.
    expect(Number(final![2])).toBeGreaterThanOrEqual(types.length);
    expect(types.length).toBeGreaterThanOrEqual(12);
    expect(Number(final![3])).toBeGreaterThan(0);
  }, 60_000);

  it('refuses bad numbers before starting anything', async () => {
    const io = captureIo();
    expect(await runCli(['demo', '--api-port', 'http'], io)).toBe(2);
    expect(io.err()).toContain('apiPort');
  });
});
