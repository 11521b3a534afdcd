import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveServerSettings, ServerConfigError, DEFAULT_SERVER_SETTINGS } from './server-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('server settings', () => {
  it('layers defaults < file < environment < flags', async () => {
    const file = join(dir, 'vigil.json');
    await writeFile(
      file,
      JSON.stringify({ apiPort: 5000, hostName: 'hub.plant.example', dataDir: '/var/lib/vigil' }),
    );
    const settings = await resolveServerSettings({
      file,
      env: { VIGIL_API_PORT: '6000', VIGIL_MQTT_PORT: '1883' },
      flags: { dataDir: '/srv/vigil' },
    });
    expect(settings).toEqual({
      ...DEFAULT_SERVER_SETTINGS,
      hostName: 'hub.plant.example',
      apiPort: 6000,
      mqttPort: 1883,
      dataDir: '/srv/vigil',
    });
  });

  it('lists every problem at once, each with where it came from', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ apiPort: 'eighty', colour: 'blue' }));
    const error = await resolveServerSettings({
      file,
      env: { VIGIL_POSTGRES_URL: 'mysql://x', VIGIL_MQTTS_PORT: '70000' },
      flags: { hostName: '' },
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ServerConfigError);
    const paths = (error as ServerConfigError).violations.map((violation) => violation.path).sort();
    expect(paths).toEqual([
      `${file}: apiPort`,
      `${file}: colour`,
      'environment: mqttsPort',
      'environment: postgresUrl',
      'flags: hostName',
    ]);
  });

  it('refuses a configuration with every device listener off, and an unreadable file', async () => {
    await expect(resolveServerSettings({ flags: { mqttsPort: 'off', wssPort: 'off' } })).rejects.toThrow(
      /at least one device listener/,
    );
    await expect(resolveServerSettings({ file: join(dir, 'missing.json') })).rejects.toThrow(
      /cannot be read as JSON/,
    );
  });
});
