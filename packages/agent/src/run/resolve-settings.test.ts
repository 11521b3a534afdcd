import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigurationError, resolveAgentSettings } from './resolve-settings.js';

const KEY = Buffer.alloc(32, 1).toString('base64');
const CONNECTION = `HostName=hub.test;DeviceId=dev1;ModuleId=azureiotsecurity;SharedAccessKey=${KEY}`;

function violations(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof AgentConfigurationError) return [...error.violations];
    throw error;
  }
  throw new Error('no error');
}

describe('local configuration', () => {
  it('merges file < environment < options and fills defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-settings-'));
    const file = join(dir, 'agent.json');
    writeFileSync(
      file,
      JSON.stringify({ connectionString: CONNECTION, profile: 'flatbuffers-2.3', dataDir: '/from/file' }),
    );
    const settings = resolveAgentSettings({
      file,
      env: {
        VIGIL_AGENT_DATA_DIR: '/from/env',
        VIGIL_AGENT_COLLECTORS: 'heartbeat=true,logins=false',
        VIGIL_AGENT_PENDING_TIME_SECONDS: '60',
      },
      options: { logLevel: 'debug' },
    });
    expect(settings).toMatchObject({
      connectionString: CONNECTION,
      profile: 'flatbuffers-2.3',
      dataDir: '/from/env',
      collectors: { heartbeat: true, logins: false },
      pendingTimeSeconds: 60,
      logLevel: 'debug',
      transport: 'mqtts',
      remoteConfiguration: true,
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('lists every violation with its source and path, not just the first', () => {
    const found = violations(() =>
      resolveAgentSettings({
        env: {
          VIGIL_AGENT_PROFILE: 'xml',
          VIGIL_AGENT_PENDING_TIME_SECONDS: 'soon',
          VIGIL_AGENT_PRIORITY_INTERVALS_SECONDS: 'High=0,Urgent=5',
          VIGIL_AGENT_COLOUR: 'blue',
        },
        options: { connectionString: 'HostName=hub.test;DeviceId=dev1', agentId: 'not-a-guid' },
      }),
    );
    expect(found.map((v) => v.path).sort()).toEqual([
      'env:VIGIL_AGENT_COLOUR',
      'env:VIGIL_AGENT_PENDING_TIME_SECONDS',
      'env:VIGIL_AGENT_PRIORITY_INTERVALS_SECONDS.High',
      'env:VIGIL_AGENT_PRIORITY_INTERVALS_SECONDS.Urgent',
      'env:VIGIL_AGENT_PROFILE',
      'options.agentId',
      'options.connectionString.$',
    ]);
    expect(found.find((v) => v.path === 'env:VIGIL_AGENT_PROFILE')?.message).toBe(
      'must be one of json-1.0, flatbuffers-2.3',
    );
  });

  it('requires a connection string naming a device, and certificate files for x509', () => {
    expect(violations(() => resolveAgentSettings({ env: {} }))).toEqual([
      { path: 'connectionString', message: expect.stringContaining('is required') as string },
    ]);
    expect(
      violations(() =>
        resolveAgentSettings({ env: {}, options: { connectionString: 'HostName=h;DeviceId=d;x509=true' } }),
      ),
    ).toEqual([
      { path: 'options.connectionString', message: 'x509=true needs certificateFile and privateKeyFile' },
    ]);
  });

  it('reports an unreadable or non-object file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-settings-'));
    writeFileSync(join(dir, 'bad.json'), '[1]');
    expect(
      violations(() =>
        resolveAgentSettings({
          file: join(dir, 'bad.json'),
          env: {},
          options: { connectionString: CONNECTION },
        }),
      ),
    ).toEqual([{ path: `file:${join(dir, 'bad.json')}`, message: 'must hold a JSON object' }]);
  });
});
