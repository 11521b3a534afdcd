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
    ]);
    expect(all.every((c) => c.description.length > 20 && c.platforms.length > 0)).toBe(true);
  });

  it('leaves only the heartbeat on a platform without /proc', () => {
    expect(selectCollectors(createDefaultCollectors(), { platform: 'darwin' }).map((c) => c.id)).toEqual([
      'heartbeat',
    ]);
  });

  it('gives each call its own stateful instances', () => {
    expect(createDefaultCollectors()[4]).not.toBe(createDefaultCollectors()[4]);
  });
});
