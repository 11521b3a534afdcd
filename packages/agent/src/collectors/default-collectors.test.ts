import { describe, expect, it } from 'vitest';
import { createDefaultCollectors } from './default-collectors.js';
import { selectCollectors } from './selection.js';

describe('createDefaultCollectors', () => {
  it('ships every collector once, each with a spec', () => {
    const all = createDefaultCollectors();
    expect(all.map((c) => `${c.id}:${c.priority}`)).toEqual([
      'network-activity:High',
      'listening-ports:High',
      'local-users:High',
      'logins:High',
      'processes:Medium',
      'system-information:Low',
      'heartbeat:Low',
      'firewall-configuration:Low',
      'os-baseline:Low',
      'containers:Low',
      'edge-deployment:Low',
    ]);
    expect(all.every((c) => c.description.length > 20 && c.platforms.length > 0)).toBe(true);
  });

  it('leaves only the heartbeat on a platform without /proc', () => {
    expect(selectCollectors(createDefaultCollectors(), { platform: 'darwin' }).map((c) => c.id)).toEqual([
      'heartbeat',
    ]);
  });

  it('points the containers and Edge collectors at the configured socket and deployment file', () => {
    const all = createDefaultCollectors({
      containers: { socketPath: '/run/user/1000/docker.sock' },
      edgeDeployment: { deploymentFile: '/srv/edge/deployment.json' },
    });
    expect(all.find((c) => c.id === 'containers')!.description).toContain('/run/user/1000/docker.sock');
    expect(all.find((c) => c.id === 'edge-deployment')!.description).toContain('/srv/edge/deployment.json');
  });

  it('gives each call its own stateful instances', () => {
    expect(createDefaultCollectors()[4]).not.toBe(createDefaultCollectors()[4]);
  });
});
