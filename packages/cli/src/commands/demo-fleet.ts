import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSymmetricKey } from '@vigil/protocol';
import { DEMO_FLEET, DEMO_SUSPICIOUS_ADDRESSES, type FleetDevice } from '@vigil/sim';
import { defaultSecurityGroupRules } from '@vigil/analytics';
import type { CustomRule, Store } from '@vigil/storage';

/** The demo's threat-intelligence feed: the /24 the suspicious-IP scenario talks to. */
export const DEMO_FEED_NAME = 'demo-tor-exits';

/**
 * The demo's default group: two scenarios are only seen by custom rules. Connection spike: up to 100
 * connections a minute per device (benign demo devices open a few every tick). Unauthorized topics:
 * no unauthorized operation at all (the hub logs each refused publish and subscription as one).
 */
export function demoGroupRules(): CustomRule[] {
  return defaultSecurityGroupRules().map((rule) => {
    if (rule.kind !== 'range') return rule;
    if (rule.ruleId === 'ActiveConnectionsNotInAllowedRange')
      return { ...rule, enabled: true, min: 0, max: 100, window: 'PT1M' };
    if (rule.ruleId === 'UnauthorizedOperationsNotInAllowedRange')
      return { ...rule, enabled: true, min: 0, max: 0, window: 'PT15M' };
    return rule;
  });
}

/**
 * Registers the demo fleet (a device identity per device, plus its `azureiotsecurity` module for
 * JSON-profile agents, each with fresh SAS keys) and the demo feed, and returns the fleet with credentials.
 */
export async function registerDemoFleet(store: Store, dataDir: string): Promise<FleetDevice[]> {
  const devices: FleetDevice[] = [];
  for (const spec of DEMO_FLEET) {
    const sas = () => ({
      type: 'sas' as const,
      primaryKey: generateSymmetricKey(),
      secondaryKey: generateSymmetricKey(),
    });
    const device = await store.identities.create({ deviceId: spec.deviceId, moduleId: null, auth: sas() });
    let key = device.auth.type === 'sas' ? device.auth.primaryKey : '';
    if (spec.moduleId !== undefined) {
      const module = await store.identities.create({
        deviceId: spec.deviceId,
        moduleId: spec.moduleId,
        auth: sas(),
      });
      key = module.auth.type === 'sas' ? module.auth.primaryKey : '';
    }
    devices.push({
      identity: {
        deviceId: spec.deviceId,
        ...(spec.moduleId === undefined ? {} : { moduleId: spec.moduleId }),
        key,
      },
      profile: spec.profile,
      ...(spec.scenario === undefined ? {} : { scenario: spec.scenario }),
    });
  }
  const feedFile = join(dataDir, 'demo-threat-feed.txt');
  const prefix = DEMO_SUSPICIOUS_ADDRESSES[0].split('.').slice(0, 3).join('.');
  await writeFile(
    feedFile,
    `# Demo feed: Tor exit relays the suspicious-ip scenario contacts\n${prefix}.0/24\n`,
  );
  await store.threatIntelFeeds.put({
    name: DEMO_FEED_NAME,
    source: { type: 'file', location: feedFile },
    format: { type: 'list' },
    internal: false,
    refreshIntervalMs: 3_600_000,
  });
  await store.securityGroups.put({ name: 'default', rules: demoGroupRules() });
  return devices;
}
