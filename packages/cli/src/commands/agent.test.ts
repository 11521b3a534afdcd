import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { captureIo } from '../testing/capture-io.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
let dir: string;

beforeAll(async () => {
  api = await startApiTestServer();
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-agent-'));
});
afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('vigil agent', () => {
  it("runs this machine's agent as the device's security module; its events reach the security center", async () => {
    await api.run(['device', 'add', 'edge-1']);
    await api.run(['device', 'add', 'edge-1', '--module', 'azureiotsecurity']);
    const port = api.server.hub.addresses.mqtt!.port;
    const connectionString = (
      await api.run([
        'device',
        'connection-string',
        'edge-1',
        '--module',
        'azureiotsecurity',
        '--gateway-host-name',
        `127.0.0.1:${port}`,
      ])
    ).out.trim();
    expect(connectionString).toContain(`GatewayHostName=127.0.0.1:${port}`);
    // Collect at once and send every second, so a short run delivers something (5 s: a loaded
    // machine can take seconds to connect, and what is not sent by the end waits on disk).
    const config = join(dir, 'agent.json');
    await writeFile(
      config,
      JSON.stringify({
        firstCollectionSeconds: 0,
        priorityIntervalsSeconds: { High: 1, Medium: 1, Low: 1 },
        highPriorityMessageFrequencySeconds: 1,
        lowPriorityMessageFrequencySeconds: 1,
        remoteConfiguration: false,
        logLevel: 'error',
      }),
    );
    // An IoT Edge deployment whose security module runs privileged, as the reference deploys it.
    const deployment = join(dir, 'deployment.json');
    await writeFile(
      deployment,
      JSON.stringify({
        modulesContent: {
          $edgeAgent: {
            'properties.desired': {
              schemaVersion: '1.1',
              modules: {
                azureiotsecurity: {
                  type: 'docker',
                  settings: {
                    image: 'mcr.microsoft.com/ascforiot/azureiotsecurity:1.0.0',
                    createOptions: JSON.stringify({ HostConfig: { Privileged: true, NetworkMode: 'host' } }),
                  },
                },
              },
            },
          },
        },
      }),
    );
    const io = captureIo();
    const code = await runCli(
      [
        'agent',
        '--edge-deployment-file',
        deployment,
        '--docker-socket',
        join(dir, 'no-docker.sock'),
        '--config',
        config,
        '--connection-string',
        connectionString,
        '--transport',
        'mqtt',
        '--data-dir',
        join(dir, 'data'),
        '--duration-seconds',
        '5',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^Vigil agent [0-9a-f-]{36} running \(json-1\.0 over mqtt;/);
    expect(io.out()).toContain('time is up: stopping');
    let edge: string | undefined;
    // Bounded: the security center stores events after analysis, which a loaded machine slows down.
    for (let i = 0; i < 300 && edge === undefined; i += 1) {
      const events = await api.server.store.securityEvents.list({ deviceId: 'edge-1', limit: 1000 });
      edge = events
        .filter((e) => e.name === 'OSBaseline')
        .map((e) => JSON.stringify(e.payload))
        .find((p) => p.includes('VIGIL-EDGE-MODULE'));
      if (edge === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (edge === undefined) {
      const stored = await api.server.store.securityEvents.list({ deviceId: 'edge-1', limit: 1000 });
      throw new Error(
        `no Edge module check among ${stored.length} stored events: ${stored.map((e) => e.name).join(', ')}`,
      );
    }
    expect(edge).toContain('azureiotsecurity');
    expect(edge).toContain('runs privileged');
  });

  it('lists every configuration problem with where it came from, exit 2', async () => {
    const io = captureIo();
    const code = await runCli(['agent', '--transport', 'carrier-pigeon', '--profile', 'xml'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('refused: INVALID_AGENT_CONFIGURATION');
    expect(io.err()).toMatch(/options\.transport: /);
    expect(io.err()).toMatch(/options\.profile: /);
    expect(io.err()).toMatch(/connectionString/);
  });
});
