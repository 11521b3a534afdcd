import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveServerSettings, ServerConfigError, DEFAULT_SERVER_SETTINGS } from './server-config.js';
import { analyticsServerOptions } from './analytics-settings.js';

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

describe('security center settings (alert export, detection thresholds)', () => {
  it('reads destinations from the file, thresholds from the environment and flags, as numbers and lists', async () => {
    const file = join(dir, 'vigil.json');
    const destinations = [
      { kind: 'webhook', url: 'https://siem.example/hooks/vigil', secret: 'from-the-file' },
      { kind: 'syslog', host: '127.0.0.1', port: 6514, transport: 'tcp', facility: 'local4' },
    ];
    await writeFile(file, JSON.stringify({ alertDestinations: destinations }));
    const settings = await resolveServerSettings({
      file,
      env: { VIGIL_DEVICE_SILENT_AFTER: 'PT6H', VIGIL_IP_FILTER_LARGE_RANGE_IPV4_PREFIX: '20' },
      flags: { ipFilterLargeRangeIpv6Prefix: '56' },
    });
    expect(settings).toMatchObject({
      alertDestinations: destinations,
      deviceSilentAfter: 'PT6H',
      ipFilterLargeRangeIpv4Prefix: 20,
      ipFilterLargeRangeIpv6Prefix: 56,
    });
    expect(analyticsServerOptions(settings)).toEqual({
      alertExport: { destinations },
      detection: {
        silentAfterMs: 6 * 3_600_000,
        hubPosture: { maxIpv4PrefixWidth: 20, maxIpv6PrefixWidth: 56 },
      },
    });
  });

  it('defaults to no export and the documented thresholds', async () => {
    const settings = await resolveServerSettings({});
    expect(analyticsServerOptions(settings)).toEqual({
      detection: {
        silentAfterMs: 72 * 3_600_000,
        hubPosture: { maxIpv4PrefixWidth: 16, maxIpv6PrefixWidth: 48 },
      },
    });
  });

  it('destinations from the environment are JSON text; every problem is listed with its origin, no secret repeated', async () => {
    const error = await resolveServerSettings({
      env: {
        VIGIL_ALERT_DESTINATIONS: JSON.stringify([
          { kind: 'webhook', url: 'ftp://siem.example', secret: 'sup3r-secret' },
          { kind: 'syslog', host: 'siem.example', port: 70_000, transport: 'quic' },
        ]),
        VIGIL_DEVICE_SILENT_AFTER: '72 hours',
      },
      flags: { ipFilterLargeRangeIpv4Prefix: '33', ipFilterLargeRangeIpv6Prefix: 'wide' },
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ServerConfigError);
    const violations = (error as ServerConfigError).violations;
    expect(violations.map((violation) => violation.path)).toEqual([
      'environment: alertDestinations[0].url',
      'environment: alertDestinations[1].port',
      'environment: alertDestinations[1].transport',
      'environment: deviceSilentAfter',
      'flags: ipFilterLargeRangeIpv4Prefix',
      'flags: ipFilterLargeRangeIpv6Prefix',
    ]);
    expect((error as Error).message).not.toContain('sup3r-secret');
  });

  it('destination text that is not JSON is refused without quoting it; a silence under a minute is refused', async () => {
    const error = await resolveServerSettings({
      flags: { alertDestinations: '[{"kind":"webhook","secret":"sup3r-secret"', deviceSilentAfter: 'PT30S' },
    }).catch((thrown: unknown) => thrown);
    expect((error as ServerConfigError).violations).toEqual([
      { path: 'flags: alertDestinations', message: 'must be a JSON list of destinations' },
      {
        path: 'flags: deviceSilentAfter',
        message: 'must be an ISO 8601 duration of at least PT1M, such as PT72H',
      },
    ]);
    expect((error as Error).message).not.toContain('sup3r-secret');
  });

  it("raises the hub connection cap from the file, the environment or a flag, within the hub's bounds", async () => {
    expect((await resolveServerSettings({})).maxConnections).toBe(10_000);
    const file = join(dir, 'vigil.json');
    await writeFile(file, JSON.stringify({ maxConnections: 50_000 }));
    expect((await resolveServerSettings({ file })).maxConnections).toBe(50_000);
    expect(
      (await resolveServerSettings({ file, env: { VIGIL_MAX_CONNECTIONS: '120000' } })).maxConnections,
    ).toBe(120_000);
    expect((await resolveServerSettings({ flags: { maxConnections: '200000' } })).maxConnections).toBe(
      200_000,
    );
    await writeFile(file, JSON.stringify({ maxConnections: 2_000_000 }));
    const error = await resolveServerSettings({
      file,
      env: { VIGIL_MAX_CONNECTIONS: 'lots' },
      flags: { maxConnections: '0' },
    }).catch((thrown: unknown) => thrown);
    expect((error as ServerConfigError).violations).toEqual([
      {
        path: 'flags: maxConnections',
        message: 'must be a whole number of connections from 1 to 1000000 (got "0")',
      },
    ]);
    for (const bad of [
      { file },
      { env: { VIGIL_MAX_CONNECTIONS: 'lots' } },
      { flags: { maxConnections: 1.5 } },
    ]) {
      await expect(resolveServerSettings(bad)).rejects.toThrow(/maxConnections: must be a whole number/);
    }
  });
});
