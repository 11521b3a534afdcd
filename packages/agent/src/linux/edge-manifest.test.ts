import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageRegistry, parseEdgeDeployment } from './edge-manifest.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`__fixtures__/edge/${name}`, import.meta.url), 'utf8');

describe('IoT Edge deployment parser', () => {
  it('reads every module of a deployment manifest with its image, registry and createOptions privileges', () => {
    const d = parseEdgeDeployment(fixture('deployment.json'));
    expect(d.schemaVersion).toBe('1.1');
    expect(d.modules.map((m) => `${m.name}:${m.system}`)).toEqual([
      'edgeAgent:true',
      'edgeHub:true',
      'azureiotsecurity:false',
      'filter:false',
      'telemetry:false',
      'simulated:false',
    ]);
    const byName = new Map(d.modules.map((m) => [m.name, m]));
    expect(byName.get('azureiotsecurity')).toMatchObject({
      privileged: true,
      networkMode: 'host',
      pidMode: 'host',
      binds: [{ source: '/', destination: '/host', readWrite: true }],
      registry: 'mcr.microsoft.com',
      registryCredentials: false,
    });
    expect(byName.get('filter')).toMatchObject({
      capAdd: ['NET_ADMIN'],
      registry: 'contosoacr.azurecr.io',
      registryCredentials: true,
    });
    // createOptions split over createOptions + createOptions01 is joined before parsing.
    expect(byName.get('telemetry')).toMatchObject({
      logDriver: 'none',
      registry: 'ghcr.io',
      registryCredentials: false,
      binds: [{ source: '/srv/telemetry', destination: '/data', readWrite: true }],
      portBindings: ['0.0.0.0:1883->1883/tcp'],
    });
    expect(byName.get('edgeHub')!.portBindings).toHaveLength(3);
    expect(byName.get('simulated')).toMatchObject({ privileged: false, binds: [], capAdd: [] });
  });

  it('names the module whose createOptions cannot be read and keeps the others', () => {
    const d = parseEdgeDeployment(fixture('deployment.json'));
    expect(d.problems).toEqual([expect.stringMatching(/^module broken: .*JSON/)]);
  });

  it('lists the registries with credentials and never copies a password out', () => {
    const d = parseEdgeDeployment(fixture('deployment.json'));
    expect(d.registries).toEqual([
      { name: 'contosoacr', address: 'contosoacr.azurecr.io', username: 'contosoacr' },
    ]);
    expect(JSON.stringify(d)).not.toContain('s3cr3t-never-copied');
  });

  it('reads the $edgeAgent module twin and bare desired properties alike', () => {
    const twin = parseEdgeDeployment(fixture('edgeagent-twin.json'));
    expect(twin.modules.map((m) => m.name)).toEqual(['edgeAgent', 'edgeHub', 'azureiotsecurity']);
    const manifest = JSON.parse(fixture('deployment.json')) as {
      modulesContent: { $edgeAgent: { 'properties.desired': unknown } };
    };
    const bare = parseEdgeDeployment(
      JSON.stringify(manifest.modulesContent.$edgeAgent['properties.desired']),
    );
    expect(bare.modules).toHaveLength(6);
  });

  it('refuses what is not a deployment with a parse error', () => {
    expect(() => parseEdgeDeployment('{"modulesContent": {')).toThrow(/not JSON/);
    expect(() => parseEdgeDeployment('[]')).toThrow(/not a JSON object/);
    expect(() => parseEdgeDeployment('{"hello": 1}')).toThrow(
      expect.objectContaining({
        code: 'PARSE_ERROR',
        message: expect.stringMatching(/not an IoT Edge deployment/),
      }),
    );
    expect(() => parseEdgeDeployment('{"modulesContent": {"$edgeHub": {}}}')).toThrow(/\$edgeAgent/);
  });

  it('resolves image registries as Docker does', () => {
    expect(imageRegistry('nginx:1.25')).toBe('docker.io');
    expect(imageRegistry('library/nginx')).toBe('docker.io');
    expect(imageRegistry('ContosoACR.azurecr.io/filter:1')).toBe('contosoacr.azurecr.io');
    expect(imageRegistry('localhost:5000/x')).toBe('localhost:5000');
  });
});
