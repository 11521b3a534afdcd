/**
 * The containers collector over a real HTTP client and a real unix socket, answered by the
 * docker-api-stand-in (no Docker engine runs here), and on this machine, which has no engine.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSecurityMessage, type BaselineCheck } from '@vigil/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonEncoder } from '../encode/index.js';
import { createDockerApiClient, DEFAULT_DOCKER_SOCKET } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import { CONTAINER_CHECK_ID, createContainersCollector } from './containers.js';
import {
  dockerFixture,
  fixtureEngine,
  startDockerApiStandIn,
  type DockerApiStandIn,
} from './__fixtures__/docker-api-stand-in.js';
import { createMemorySystem } from './memory-system.js';

const context = () => createCollectorContext({ system: createMemorySystem({}) });
const stands: DockerApiStandIn[] = [];
afterEach(async () => {
  for (const s of stands.splice(0)) await s.close();
});

async function standIn(content = fixtureEngine()): Promise<DockerApiStandIn> {
  const s = await startDockerApiStandIn(content);
  stands.push(s);
  return s;
}

function checksOf(result: Awaited<ReturnType<ReturnType<typeof createContainersCollector>['collect']>>) {
  const event = result.events[0];
  if (event?.kind !== 'baseline') throw new Error('no baseline event');
  return new Map<string, BaselineCheck>(event.checks.map((c) => [c.extraDetails!['ContainerName']!, c]));
}

describe('containers collector', () => {
  it('reports every running container with its image and what it may do to the host', async () => {
    const engine = await standIn();
    const result = await createContainersCollector({ socketPath: engine.socketPath }).collect(context());
    expect(result.errors).toEqual([]);
    expect(engine.requests).toEqual([
      '/containers/json',
      '/containers/8dfafdbc3a40a7e1b5d2f0c8d1a0e7e3f7d7bd4e5d8c5a3f1d2e0b9c8a7f6e5d/json',
      '/containers/3f4e1c2b5a6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f/json',
      '/containers/c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00/json',
    ]);
    expect(result.events[0]).toMatchObject({ name: 'OSBaseline', kind: 'baseline', category: 'Periodic' });
    const checks = checksOf(result);
    const sec = checks.get('azureiotsecurity')!;
    expect(sec).toMatchObject({ checkId: CONTAINER_CHECK_ID, result: 'fail', severity: 'critical' });
    expect(sec.extraDetails).toMatchObject({
      Image: 'mcr.microsoft.com/ascforiot/azureiotsecurity:1.0.0',
      Privileged: 'true',
      NetworkMode: 'host',
      PidMode: 'host',
      SensitiveMounts: '/:/host;/var/run/docker.sock:/var/run/docker.sock',
      Findings: 'privileged;sensitive-mount;sensitive-mount;host-network;host-pid',
    });
    expect(sec.description).toContain('runs privileged');

    // Publishing on every interface is a warning; the named volume under /var/lib/docker is not a host path.
    const web = checks.get('web')!;
    expect(web).toMatchObject({ result: 'fail', severity: 'warning' });
    expect(web.extraDetails).toMatchObject({
      Image: 'nginx:1.25',
      Privileged: 'false',
      NetworkMode: 'bridge',
      SensitiveMounts: '',
      PublishedPorts: '0.0.0.0:8080->80/tcp;:::8080->80/tcp;127.0.0.1:9113->9113/tcp',
      Findings: 'published-ports',
    });
    expect(web.description).not.toContain('127.0.0.1');

    const exporter = checks.get('node-exporter')!;
    expect(exporter).toMatchObject({ result: 'fail', severity: 'important' });
    expect(exporter.extraDetails!['Findings']).toBe('capabilities;sensitive-mount');
  });

  it('produces events the JSON 1.0 schema accepts strictly', async () => {
    const engine = await standIn();
    const result = await createContainersCollector({ socketPath: engine.socketPath }).collect(context());
    const body = createJsonEncoder({
      agentId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      agentVersion: '0.1.0',
    })(result.events);
    const validation = validateSecurityMessage(JSON.parse(new TextDecoder().decode(body)), { strict: true });
    expect(validation.errors).toEqual([]);
  });

  it('passes a container without host privileges', async () => {
    const web = dockerFixture('inspect-web.json') as { Id: string; NetworkSettings: { Ports: unknown } };
    web.NetworkSettings.Ports = { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] };
    const engine = await standIn({ list: [{ Id: web.Id }], inspect: { [web.Id]: web } });
    const checks = checksOf(
      await createContainersCollector({ socketPath: engine.socketPath }).collect(context()),
    );
    expect(checks.get('web')).toMatchObject({ result: 'pass', severity: 'informational' });
  });

  it('skips a container that stopped between the list and its inspection, and reports no event when none runs', async () => {
    const engine = await standIn({ list: [{ Id: 'gone0000' }], inspect: {} });
    const result = await createContainersCollector({ socketPath: engine.socketPath }).collect(context());
    expect(result).toEqual({ events: [], errors: [] });
  });

  it('bounds the containers inspected per run and says so', async () => {
    const engine = await standIn();
    const result = await createContainersCollector({
      socketPath: engine.socketPath,
      maxContainers: 2,
    }).collect(context());
    expect(checksOf(result).size).toBe(2);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'DATA_DROPPED', message: expect.stringContaining('only the first 2') }),
    ]);
  });

  it('reports something else answering on the socket as a parse error, not a throw', async () => {
    const engine = await standIn({ ...fixtureEngine(), rawBody: '<html>not docker</html>' });
    const result = await createContainersCollector({ socketPath: engine.socketPath }).collect(context());
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        collectorId: 'containers',
        code: 'PARSE_ERROR',
        message: expect.stringContaining('not JSON'),
      }),
    ]);
  });

  it('the Docker API client names HTTP errors and refuses answers over its cap', async () => {
    const engine = await standIn();
    const client = createDockerApiClient({ socketPath: engine.socketPath, maxResponseBytes: 1_000 });
    await expect(client.get('/info')).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      status: 404,
      message: expect.stringContaining('page not found'),
    });
    await expect(client.get('/containers/json')).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('larger than 1000 bytes'),
    });
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      createDockerApiClient({ socketPath: engine.socketPath }).get('/containers/json', aborted.signal),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it("reports 'no Docker engine' when nothing listens at the socket", async () => {
    const socketPath = join(tmpdir(), `vigil-no-docker-${process.pid}.sock`);
    const result = await createContainersCollector({ socketPath }).collect(context());
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([
      {
        collectorId: 'containers',
        code: 'NOT_FOUND',
        message: expect.stringContaining('no Docker engine (ENOENT)'),
        source: `${socketPath} GET /containers/json`,
      },
    ]);
  });

  it('on this machine (no Docker engine at the default socket) reports the error entry rather than throwing', async () => {
    // This machine has no Docker engine; should one appear, the collector must report it instead.
    const result = await createContainersCollector().collect(context());
    if (existsSync(DEFAULT_DOCKER_SOCKET))
      expect(result.errors.filter((e) => e.code === 'NOT_FOUND')).toEqual([]);
    else {
      expect(result.events).toEqual([]);
      expect(result.errors.map((e) => [e.code, e.message.includes('no Docker engine')])).toEqual([
        ['NOT_FOUND', true],
      ]);
    }
  });
});
