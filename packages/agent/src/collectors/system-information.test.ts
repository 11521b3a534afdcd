import { readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseOsRelease, createNodeSystem } from '../linux/index.js';
import { createCollectorContext } from './collector-context.js';
import { createHeartbeatCollector } from './heartbeat.js';
import { createMemorySystem } from './memory-system.js';
import { createSystemInformationCollector } from './system-information.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../linux/__fixtures__/${name}`, import.meta.url), 'utf8');

describe('os-release parser', () => {
  it('unquotes values and unescapes double-quoted ones', () => {
    const os = parseOsRelease(fixture('os-release'));
    expect(os).toMatchObject({ NAME: 'Debian GNU/Linux', VERSION_CODENAME: 'bookworm', ID: 'debian' });
    expect(os.BUILD_ID).toBe('2024-05 "rc"');
    expect(os.VARIANT).toBe('IoT \\"gateway\\"'); // single quotes: no escapes
  });
});

describe('system-information collector', () => {
  it('combines os-release, meminfo, uname and the boot device', async () => {
    const system = createMemorySystem({
      files: {
        '/etc/os-release': fixture('os-release'),
        '/proc/meminfo': fixture('meminfo'),
        '/proc/cmdline': 'BOOT_IMAGE=/vmlinuz root=/dev/mmcblk0p2 ro quiet\n',
      },
      host: {
        hostName: 'gw-01',
        machine: 'aarch64',
        cpuCount: 4,
        cpuModel: 'Cortex-A72',
        uptimeSeconds: 123.9,
      },
    });
    const result = await createSystemInformationCollector().collect(createCollectorContext({ system }));
    expect(result.errors).toEqual([]);
    const event = result.events[0];
    if (event?.kind !== 'system-information') throw new Error('no event');
    expect(event.info).toMatchObject({
      osName: 'Debian GNU/Linux',
      osVersion: '12 (bookworm)',
      osVendor: 'debian',
      osArchitecture: 'aarch64',
      hostName: 'gw-01',
      bootDevice: '/dev/mmcblk0p2',
      totalPhysicalMemoryKb: 2030436,
      freePhysicalMemoryKb: 512000,
      totalVirtualMemoryKb: 2030436 + 1048572,
      freeVirtualMemoryKb: 512000 + 1000000,
      osInfo: 'Debian GNU/Linux 12 (bookworm)',
      hardwareInfo: '4 x Cortex-A72',
    });
    expect(event.info.biosVersion).toBeUndefined();
    expect(event.info.extraDetails).toMatchObject({
      UptimeSeconds: '123',
      AvailablePhysicalMemoryInKB: '1400000',
    });
  });

  it('falls back to uname when os-release is missing, and says so', async () => {
    const system = createMemorySystem({ files: {} });
    const result = await createSystemInformationCollector().collect(createCollectorContext({ system }));
    const event = result.events[0];
    if (event?.kind !== 'system-information') throw new Error('no event');
    expect(event.info.osName).toBe('Linux');
    expect(event.info.totalPhysicalMemoryKb).toBe(2048 * 1024);
    expect(result.errors.map((e) => e.source)).toEqual(['/etc/os-release', '/proc/meminfo']);
  });

  it('describes the live machine', async () => {
    const result = await createSystemInformationCollector().collect(
      createCollectorContext({ system: createNodeSystem() }),
    );
    const event = result.events[0];
    if (event?.kind !== 'system-information') throw new Error('no event');
    expect(event.info.hostName).toBe(os.hostname());
    expect(event.info.osArchitecture).toBe(os.machine());
    expect(event.info.totalPhysicalMemoryKb).toBe(Math.round(os.totalmem() / 1024));
  });
});

describe('heartbeat collector', () => {
  it('emits one empty Heartbeat event stamped by the injected clock', async () => {
    const context = createCollectorContext({
      system: createMemorySystem({}),
      clock: { now: () => 42 },
      newId: () => 'hb',
      intervalSeconds: 60,
    });
    const result = await createHeartbeatCollector().collect(context);
    expect(result).toEqual({
      events: [
        {
          id: 'hb',
          name: 'Heartbeat',
          eventType: 'Security',
          category: 'Periodic',
          timeUtc: 42,
          format: 'json-1.0',
          collectionIntervalSeconds: 60,
          kind: 'heartbeat',
        },
      ],
      errors: [],
    });
  });
});
