/**
 * Recommendations over the real server: device posture from the agent's snapshots (published over
 * MQTT) and hub posture from settings and registry changed through the service API; each raised while
 * its condition holds and resolved once a later snapshot or change clears it, with a near miss that
 * never raises it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSymmetricKey } from '@vigil/protocol';
import { baselineItem, firewallRuleItem, listeningPortItem, type SimulatedIdentity } from '@vigil/sim';
import { startScenarioServer, type ScenarioEvent, type ScenarioServer } from './support/scenario-server.js';

let t: ScenarioServer;

beforeAll(async () => {
  t = await startScenarioServer();
}, 30_000);
afterAll(() => t?.stop());

async function raisedTypes(deviceId: string): Promise<string[]> {
  return (await t.raisedRecommendations(deviceId)).map((key) => key.slice(deviceId.length + 1));
}

/** Raised hub-wide (or per-identity) recommendations of one type, after the periodic checks ran now. */
async function hubRaised(typeId: string): Promise<string[]> {
  await t.settle();
  await t.clockRunner(() => Date.now()).runPeriodicChecks();
  const page = await t.client.listRecommendations({ state: 'raised', limit: 500 });
  return page.items
    .filter((item) => item.typeId === typeId)
    .map((item) => `${item.deviceId}:${item.key}`)
    .sort();
}

const ports = (localAddress: string): ScenarioEvent => ({
  name: 'ListeningPorts',
  category: 'Periodic',
  payload: [listeningPortItem({ protocol: 'tcp', localAddress, localPort: 22 })],
});
const firewall = (open: boolean): ScenarioEvent => ({
  name: 'FirewallConfiguration',
  category: 'Periodic',
  payload: open
    ? [
        firewallRuleItem({ chain: 'INPUT', priority: 0, action: 'Allow' }),
        firewallRuleItem({ chain: 'INPUT', priority: 1, action: 'Allow' }),
        firewallRuleItem({ chain: 'OUTPUT', priority: 0, action: 'Allow' }),
        firewallRuleItem({ chain: 'OUTPUT', priority: 1, action: 'Allow' }),
      ]
    : [
        firewallRuleItem({
          chain: 'INPUT',
          priority: 0,
          action: 'Allow',
          protocol: 'tcp',
          destinationPort: '22',
          sourceAddress: '10.0.0.0/8',
        }),
        firewallRuleItem({ chain: 'INPUT', priority: 1, action: 'Deny' }),
        firewallRuleItem({
          chain: 'OUTPUT',
          priority: 0,
          action: 'Allow',
          protocol: 'tcp',
          destinationPort: '443',
        }),
        firewallRuleItem({ chain: 'OUTPUT', priority: 1, action: 'Deny' }),
      ],
});
const baseline = (failed: boolean): ScenarioEvent => ({
  name: 'OSBaseline',
  category: 'Periodic',
  payload: failed
    ? [baselineItem({ cceId: 'CCE-4241-6', description: 'SSH root login is allowed', severity: 'Critical' })]
    : [],
});
/** One ConfigurationError event listing every error the agent has (each event is the whole list). */
const configurationError = (
  ...errorTypes: ('NotOptimal' | 'Conflict' | 'TypeMismatch')[]
): ScenarioEvent => ({
  name: 'ConfigurationError',
  eventType: 'Operational',
  payload: errorTypes.map((errorType) => ({
    ConfigurationName: 'highPriorityMessageFrequency',
    ErrorType: errorType,
    UsedConfiguration: 'PT7M',
    Message: `${errorType} configuration`,
  })),
});
const statistics = (sent: number, small: number): ScenarioEvent => ({
  name: 'MessageStatistics',
  category: 'Periodic',
  eventType: 'Operational',
  payload: [{ MessagesSent: sent, MessagesUnder4KB: small, TotalFailed: 0 }],
});

describe('device posture', () => {
  let weak: SimulatedIdentity;
  let hardened: SimulatedIdentity;

  beforeAll(async () => {
    weak = await t.addAgent('posture-weak');
    hardened = await t.addAgent('posture-hardened');
  });

  it('open ports, permissive firewall, failed baseline, twin configuration errors and small messages are raised', async () => {
    await t.sendEvents(weak, [
      ports('0.0.0.0'),
      firewall(true),
      baseline(true),
      configurationError('NotOptimal', 'Conflict'),
      statistics(100, 10),
    ]);
    await t.settle();
    expect(await raisedTypes('posture-weak')).toEqual(
      [
        'IoT_AgentSendsUnutilizedMessages',
        'IoT_Baseline',
        'IoT_OpenPorts',
        'IoT_PermissiveFirewallPolicy',
        'IoT_PermissiveFirewallPolicy',
        'IoT_PermissiveInputFirewallRules',
        'IoT_PermissiveOutputFirewallRules',
        'Vigil_TwinConfigurationConflict',
        'Vigil_TwinConfigurationNotOptimal',
      ].sort(),
    );
  });

  it('a hardened device (loopback port, restricted rules with deny policies, clean baseline, 9% small messages) raises none', async () => {
    await t.sendEvents(hardened, [
      ports('127.0.0.1'),
      firewall(false),
      baseline(false),
      configurationError('TypeMismatch'),
      statistics(100, 9),
    ]);
    await t.settle();
    expect(await raisedTypes('posture-hardened')).toEqual([]);
  });

  it('each recommendation is resolved once the next snapshot no longer shows the weakness', async () => {
    await t.sendEvents(weak, [
      ports('127.0.0.1'),
      firewall(false),
      baseline(false),
      configurationError('TypeMismatch'),
      statistics(100, 9),
    ]);
    await t.settle();
    expect(await raisedTypes('posture-weak')).toEqual([]);
    const resolved = await t.client.listRecommendations({ state: 'resolved', deviceId: 'posture-weak' });
    expect(resolved.items.length).toBe(9);
  });

  it('a weakness that comes back is raised again', async () => {
    await t.sendEvents(weak, [ports('192.168.1.20')]);
    await t.settle();
    expect(await raisedTypes('posture-weak')).toEqual(['IoT_OpenPorts']);
  });
});

describe('hub posture', () => {
  const sharedKey = generateSymmetricKey();

  it('two identities with the same key raise IoT_SharedCredentials on both (key never shown); distinct keys never raise it', async () => {
    for (const deviceId of ['twin-key-a', 'twin-key-b', 'twin-key-c'])
      await t.store.identities.create({
        deviceId,
        moduleId: null,
        auth: { type: 'sas', primaryKey: sharedKey, secondaryKey: generateSymmetricKey() },
      });
    await t.addAgent('own-key');
    const raised = await hubRaised('IoT_SharedCredentials');
    for (const holder of ['twin-key-a', 'twin-key-b', 'twin-key-c'])
      expect(raised.some((entry) => entry.startsWith(`${holder}:`))).toBe(true);
    expect(raised.some((entry) => entry.startsWith('own-key:'))).toBe(false);
    const page = await t.client.listRecommendations({ state: 'raised', deviceId: 'twin-key-a' });
    expect(JSON.stringify(page)).not.toContain(sharedKey);
  });

  it('giving each identity its own key resolves IoT_SharedCredentials', async () => {
    for (const deviceId of ['twin-key-b', 'twin-key-c']) {
      const current = await t.call('GET', `/api/hub/devices/${deviceId}`);
      const etag = (current.json as { etag: string }).etag;
      const response = await fetch(`${t.server.url}/api/hub/devices/${deviceId}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${t.server.firstAdminToken!}`,
          'content-type': 'application/json',
          'if-match': etag,
        },
        body: JSON.stringify({
          authentication: {
            type: 'sas',
            symmetricKey: { primaryKey: generateSymmetricKey(), secondaryKey: generateSymmetricKey() },
          },
        }),
      });
      expect(response.status).toBe(200);
    }
    expect(await hubRaised('IoT_SharedCredentials')).toEqual([]);
  });

  it('deleting one of two identities sharing a key resolves the recommendation of both', async () => {
    const key = generateSymmetricKey();
    for (const deviceId of ['gone-key-a', 'gone-key-b'])
      await t.store.identities.create({
        deviceId,
        moduleId: null,
        auth: { type: 'sas', primaryKey: key, secondaryKey: generateSymmetricKey() },
      });
    expect((await hubRaised('IoT_SharedCredentials')).length).toBe(2);
    expect((await t.call('DELETE', '/api/hub/devices/gone-key-b')).status).toBe(204);
    expect(await hubRaised('IoT_SharedCredentials')).toEqual([]);
    const resolved = await t.client.listRecommendations({ state: 'resolved', deviceId: 'gone-key-b' });
    expect(resolved.items.map((item) => item.typeId)).toEqual(['IoT_SharedCredentials']);
  });

  it("deleting a device resolves its modules' recommendations too (the modules go with it)", async () => {
    const key = generateSymmetricKey();
    const sas = () => ({ type: 'sas' as const, primaryKey: key, secondaryKey: generateSymmetricKey() });
    await t.store.identities.create({ deviceId: 'gone-mod-a', moduleId: null, auth: sas() });
    await t.store.identities.create({
      deviceId: 'gone-mod-b',
      moduleId: null,
      auth: { type: 'sas', primaryKey: generateSymmetricKey(), secondaryKey: generateSymmetricKey() },
    });
    await t.store.identities.create({ deviceId: 'gone-mod-b', moduleId: 'edge', auth: sas() });
    expect(await hubRaised('IoT_SharedCredentials')).toEqual(['gone-mod-a:', 'gone-mod-b:edge']);
    expect((await t.call('DELETE', '/api/hub/devices/gone-mod-b')).status).toBe(204);
    expect(await hubRaised('IoT_SharedCredentials')).toEqual([]);
  });

  it('no diagnostic setting raises Vigil_DiagnosticsLogsDisabled; adding one resolves it', async () => {
    expect((await hubRaised('Vigil_DiagnosticsLogsDisabled')).length).toBe(1);
    const put = await t.call('PUT', '/api/hub/diagnostic-settings/ops', {
      destination: 'file:///var/log/vigil/diagnostics',
      categories: ['Connections'],
    });
    expect(put.status).toBeLessThan(300);
    expect(await hubRaised('Vigil_DiagnosticsLogsDisabled')).toEqual([]);
  });

  it('an accepting default and a /8 accept rule raise IoT_IPFilter_DenyAll and IoT_IPFilter_PermissiveRule; reject with /32 and /16 rules resolves both', async () => {
    const wide = await t.call('PUT', '/api/hub/ip-filter', {
      defaultAction: 'accept',
      rules: [{ name: 'corp', action: 'accept', ipMask: '10.0.0.0/8' }],
    });
    expect(wide.status).toBe(200);
    expect((await hubRaised('IoT_IPFilter_DenyAll')).length).toBe(1);
    expect((await hubRaised('IoT_IPFilter_PermissiveRule')).length).toBe(1);
    // The loopback address stays admitted, so the scenarios' own devices can still connect.
    const narrow = await t.call('PUT', '/api/hub/ip-filter', {
      defaultAction: 'reject',
      rules: [
        { name: 'loopback', action: 'accept', ipMask: '127.0.0.1/32' },
        { name: 'plant', action: 'accept', ipMask: '10.1.0.0/16' },
      ],
    });
    expect(narrow.status).toBe(200);
    expect(await hubRaised('IoT_IPFilter_DenyAll')).toEqual([]);
    expect(await hubRaised('IoT_IPFilter_PermissiveRule')).toEqual([]);
  });
});
