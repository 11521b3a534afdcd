import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSecurityMessage, type BaselineCheck } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { createJsonEncoder } from '../encode/index.js';
import { createNodeSystem } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import {
  createEdgeDeploymentCollector,
  DEFAULT_EDGE_DEPLOYMENT_FILE,
  EDGE_MODULE_CHECK_ID,
  EDGE_REGISTRY_CHECK_ID,
  MAX_EDGE_DEPLOYMENT_BYTES,
} from './edge-deployment.js';
import { createMemorySystem } from './memory-system.js';

const manifest = readFileSync(new URL('../linux/__fixtures__/edge/deployment.json', import.meta.url), 'utf8');
const PATH = '/etc/vigil-agent/edge-deployment.json';

async function collect(files: Record<string, string>, deploymentFile?: string) {
  const collector = createEdgeDeploymentCollector(deploymentFile === undefined ? {} : { deploymentFile });
  return collector.collect(createCollectorContext({ system: createMemorySystem({ files }) }));
}

function checks(result: Awaited<ReturnType<typeof collect>>): BaselineCheck[] {
  const event = result.events[0];
  if (event?.kind !== 'baseline') throw new Error('no baseline event');
  return [...event.checks];
}

describe('IoT Edge deployment collector', () => {
  it('reports each module with its image, registry credentials and createOptions privileges', async () => {
    const result = await collect({ [PATH]: manifest });
    const all = checks(result);
    const modules = new Map(
      all.filter((c) => c.checkId === EDGE_MODULE_CHECK_ID).map((c) => [c.extraDetails!['ModuleName'], c]),
    );
    expect([...modules.keys()]).toEqual([
      'edgeAgent',
      'edgeHub',
      'azureiotsecurity',
      'filter',
      'telemetry',
      'simulated',
    ]);
    expect(modules.get('azureiotsecurity')).toMatchObject({ result: 'fail', severity: 'critical' });
    expect(modules.get('azureiotsecurity')!.extraDetails).toMatchObject({
      Privileged: 'true',
      NetworkMode: 'host',
      PidMode: 'host',
      SensitiveMounts: '/:/host',
      RegistryCredentials: 'absent',
    });
    expect(modules.get('filter')).toMatchObject({ result: 'fail', severity: 'important' });
    expect(modules.get('filter')!.extraDetails).toMatchObject({
      Registry: 'contosoacr.azurecr.io',
      RegistryCredentials: 'present',
      CapAdd: 'NET_ADMIN',
    });
    expect(modules.get('telemetry')!.extraDetails!['Findings']).toBe('published-ports;logging-disabled');
    expect(modules.get('simulated')).toMatchObject({ result: 'pass' });
    const registries = all.find((c) => c.checkId === EDGE_REGISTRY_CHECK_ID)!;
    expect(registries.extraDetails).toMatchObject({
      Registries: 'contosoacr=contosoacr.azurecr.io',
      ModulesWithoutCredentials:
        'edgeAgent=mcr.microsoft.com;edgeHub=mcr.microsoft.com;azureiotsecurity=mcr.microsoft.com;telemetry=ghcr.io;simulated=mcr.microsoft.com',
    });
    // The unreadable module is named; the secret never leaves the file.
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'PARSE_ERROR', message: expect.stringContaining('module broken') }),
    ]);
    expect(JSON.stringify(result)).not.toContain('s3cr3t-never-copied');
    const body = createJsonEncoder({
      agentId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      agentVersion: '0.1.0',
    })(result.events);
    expect(
      validateSecurityMessage(JSON.parse(new TextDecoder().decode(body)), { strict: true }).errors,
    ).toEqual([]);
  });

  it('stays silent on a host without IoT Edge and no configured path', async () => {
    expect(await collect({})).toEqual({ events: [], errors: [] });
    expect(DEFAULT_EDGE_DEPLOYMENT_FILE).toBe(PATH);
  });

  it('tells an IoT Edge host, or a configured path, where the manifest is missing', async () => {
    const edgeHost = await collect({ '/etc/aziot/config.toml': '[agent]\nname = "edgeAgent"\n' });
    expect(edgeHost.errors).toEqual([
      expect.objectContaining({
        code: 'NOT_FOUND',
        source: PATH,
        message: expect.stringContaining('edgeDeploymentFile'),
      }),
    ]);
    const configured = await collect({}, '/srv/deploy.json');
    expect(configured.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', source: '/srv/deploy.json' }),
    ]);
  });

  it('refuses to read a file far larger than any deployment', async () => {
    const result = await collect({ [PATH]: ' '.repeat(MAX_EDGE_DEPLOYMENT_BYTES + 1) });
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'DATA_DROPPED',
        source: PATH,
        message: expect.stringContaining('not read'),
      }),
    ]);
  });

  it('reports a file that is not a deployment as a parse error', async () => {
    const result = await collect({ [PATH]: '{"hello": "world"}' });
    expect(result.events).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', source: PATH })]);
  });

  it('reads the file through the real file system', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-edge-'));
    try {
      const file = join(dir, 'twin.json');
      await writeFile(
        file,
        readFileSync(new URL('../linux/__fixtures__/edge/edgeagent-twin.json', import.meta.url)),
      );
      const result = await createEdgeDeploymentCollector({ deploymentFile: file }).collect(
        createCollectorContext({ system: createNodeSystem() }),
      );
      expect(result.errors).toEqual([]);
      expect(checks(result).map((c) => c.extraDetails!['ModuleName'] ?? c.checkId)).toEqual([
        'edgeAgent',
        'edgeHub',
        'azureiotsecurity',
        EDGE_REGISTRY_CHECK_ID,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
