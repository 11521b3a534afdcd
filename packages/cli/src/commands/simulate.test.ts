import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
let mqttUrl: string;

beforeAll(async () => {
  api = await startApiTestServer();
  mqttUrl = `mqtt://127.0.0.1:${api.server.hub.addresses.mqtt!.port}`;
});
afterAll(async () => {
  await api?.close();
});

const simulate = (args: readonly string[]) =>
  api.run(['simulate', '--url', mqttUrl, ...args], { urlFlag: '--api-url' });

describe('vigil simulate', () => {
  it('registers the devices, connects them, plays the scenario, and the attack raises a real alert', async () => {
    const result = await simulate([
      '--devices',
      '3',
      '--scenario',
      'miner-process',
      '--seed',
      '7',
      '--tick-seconds',
      '0.1',
      '--duration-seconds',
      '1.2',
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Registering 3 simulated device(s)');
    expect(result.out).toContain('  3/3 registered\n');
    expect(result.out).toContain('as localhost (seed 7, a message every 0.1 s each)');
    for (const id of ['sim-1', 'sim-2', 'sim-3'])
      expect(result.out).toContain(`  ${id} connected (json-agent)`);
    expect(result.out).toContain('sim-1 is now under attack: a crypto miner started from /tmp');
    expect(result.out).toMatch(/time is up: stopped\.\n {2}3\/3 connected · [1-9]\d* messages/);
    // Agents are registered with their security module, as real ones connect.
    const module = await api.server.store.identities.get({ deviceId: 'sim-2', moduleId: 'azureiotsecurity' });
    expect(module?.status).toBe('enabled');
    await eventually(
      async () =>
        (await api.server.store.alerts.count({ deviceId: 'sim-1', typeId: 'Vigil_CryptoMiner' })) > 0,
    );
    expect(await api.server.store.alerts.count({ deviceId: 'sim-1', typeId: 'Vigil_CryptoMiner' })).toBe(1);
    expect(await api.server.store.alerts.count({ deviceId: 'sim-2' })).toBe(0);
  });

  it('a rerun reuses the registered identities and their keys', async () => {
    const result = await simulate(['--devices', '2', '--tick-seconds', '0.1', '--duration-seconds', '0.3']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/2\/2 connected/);
  });

  it('refuses bad options before touching anything, each with what is allowed', async () => {
    const unknown = await simulate(['--scenario', 'miner-process,teleport']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown scenario(s) teleport; known: suspicious-ip');
    const tooMany = await simulate(['--devices', '1', '--scenario', 'miner-process,brute-force']);
    expect(tooMany.err).toContain('2 scenarios need at least as many --devices');
    const telemetry = await simulate(['--profile', 'telemetry', '--scenario', 'miner-process']);
    expect(telemetry.err).toContain('miner-process needs --profile json-agent or rtos');
    const badUrl = await api.run(['simulate', '--url', 'http://x', '--devices', '1'], {
      urlFlag: '--api-url',
    });
    expect(badUrl.err).toContain("--url must be the hub's MQTT address");
    const noCa = await simulate(['--ca', '/nonexistent/ca.pem']);
    expect(noCa.code).toBe(2);
    expect(noCa.err).toContain('ENOENT');
    expect(await api.server.store.identities.get({ deviceId: 'sim-9', moduleId: null })).toBeUndefined();
  });

  it('a viewer token cannot register devices: the refusal is printed', async () => {
    const result = await api.run(['simulate', '--url', mqttUrl, '--prefix', 'ro-', '--devices', '1'], {
      urlFlag: '--api-url',
      token: api.viewerToken,
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain('refused: FORBIDDEN (HTTP 403)');
  });

  it('over TLS with the hub CA from --ca', async () => {
    const secure = await startApiTestServer({ tls: true });
    try {
      const port = secure.server.hub.addresses.mqtts!.port;
      const caFile = '/etc/vigil/ca.pem';
      const args = ['simulate', '--url', `mqtts://localhost:${port}`, '--ca', caFile, '--devices', '1'];
      const result = await secure.run([...args, '--tick-seconds', '0.1', '--duration-seconds', '0.3'], {
        urlFlag: '--api-url',
        files: { [caFile]: new TextEncoder().encode(secure.server.hub.caCertificatePem) },
      });
      expect(result.err).toBe('');
      expect(result.out).toMatch(/1\/1 connected · [1-9]\d* messages/);
      const untrusted = await secure.run([...args, '--duration-seconds', '0.2'], {
        urlFlag: '--api-url',
        files: { [caFile]: new TextEncoder().encode(api.server.hub.caCertificatePem) },
      });
      expect(untrusted.code).toBe(1);
      expect(untrusted.out).toContain('sim-1: connect failed');
      expect(untrusted.err).toContain('no device could connect (check --url, --ca');
    } finally {
      await secure.close();
    }
  });
});
