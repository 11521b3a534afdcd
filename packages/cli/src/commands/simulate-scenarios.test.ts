import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSecurityGroupRules } from '@vigil/analytics';
import { eventually } from '../testing/eventually.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

/**
 * The hub scenarios and the RTOS profile of `vigil simulate`, each against a real server (hub,
 * analytics, SQLite): what the scenario does must end in the alert or events a user would look for.
 */
let api: ApiTestServer;

beforeAll(async () => {
  api = await startApiTestServer();
});
afterAll(async () => {
  await api?.close();
});

const simulate = (server: ApiTestServer, args: readonly string[]) =>
  server.run(
    [
      'simulate',
      '--url',
      `mqtt://127.0.0.1:${server.server.hub.addresses.mqtt!.port}`,
      '--tick-seconds',
      '0.1',
      ...args,
    ],
    { urlFlag: '--api-url' },
  );

const alertCount = (typeId: string, deviceId?: string) =>
  api.server.store.alerts.count({ typeId, ...(deviceId === undefined ? {} : { deviceId }) });

describe('vigil simulate: hub scenarios', () => {
  it('expired-sas: the hub refuses the expired tokens and raises the expired-SAS alert', async () => {
    const result = await simulate(api, [
      '--prefix',
      'exp-',
      '--devices',
      '2',
      '--scenario',
      'expired-sas',
      '--duration-seconds',
      '1.5',
    ]);
    expect(result.err).toBe('');
    expect(result.out).toContain(
      'exp-1 is now under attack: connection attempts with an expired SAS token (3 refused by the hub)',
    );
    // The device's own connection carried on: no errors.
    expect(result.out).toMatch(/2\/2 connected · [1-9]\d* messages \(\d+ bytes\) · 0 errors/);
    await eventually(async () => (await alertCount('IoT_Expired_SAS_Token', 'exp-1')) > 0);
    expect(await alertCount('IoT_Expired_SAS_Token', 'exp-1')).toBe(1);
    expect(await alertCount('IoT_Expired_SAS_Token', 'exp-2')).toBe(0);
    expect(await alertCount('IoT_Invalid_SAS_Token', 'exp-1')).toBe(0);
  });

  it('forged-sas: tokens signed with the wrong key raise the invalid-signature alert', async () => {
    const result = await simulate(api, [
      '--prefix',
      'forge-',
      '--devices',
      '1',
      '--profile',
      'telemetry',
      '--scenario',
      'forged-sas',
      '--duration-seconds',
      '1.5',
    ]);
    expect(result.err).toBe('');
    expect(result.out).toContain(
      'forge-1 is now under attack: connection attempts with a SAS token signed by the wrong key (3 refused by the hub)',
    );
    await eventually(async () => (await alertCount('IoT_Invalid_SAS_Token', 'forge-1')) > 0);
    expect(await alertCount('IoT_Invalid_SAS_Token', 'forge-1')).toBe(1);
    expect(await alertCount('IoT_Expired_SAS_Token', 'forge-1')).toBe(0);
  });

  it('unauthorized-topics: refused and logged as unauthorized operations, which the custom rule alerts on', async () => {
    await api.server.store.securityGroups.put({
      name: 'default',
      rules: defaultSecurityGroupRules().map((rule) =>
        rule.ruleId === 'UnauthorizedOperationsNotInAllowedRange' && rule.kind === 'range'
          ? { ...rule, enabled: true, min: 0, max: 0, window: 'PT15M' }
          : rule,
      ),
    });
    const result = await simulate(api, [
      '--prefix',
      'topic-',
      '--devices',
      '2',
      '--scenario',
      'unauthorized-topics',
      '--duration-seconds',
      '2',
    ]);
    expect(result.err).toBe('');
    // Two subscriptions refused with SUBACK 0x80, one publish refused by closing the connection.
    expect(result.out).toContain(
      "topic-1 is now under attack: subscriptions to and a publish on another device's topics (3 refused by the hub)",
    );
    expect(result.out).toMatch(/2\/2 connected · [1-9]\d* messages \(\d+ bytes\) · 0 errors/);
    await eventually(
      async () =>
        (await api.server.store.operations.list({ deviceId: 'topic-1', operation: 'unauthorizedOperation' }))
          .length >= 3,
    );
    const refused = await api.server.store.operations.list({
      deviceId: 'topic-1',
      operation: 'unauthorizedOperation',
    });
    expect(refused.map((operation) => operation.reason).sort()).toEqual([
      'foreignSubscription',
      'foreignSubscription',
      'foreignTopic',
    ]);
    // Each names the other device's topic or filter.
    expect(
      refused.map((operation) => JSON.stringify(operation.details.filter ?? operation.details.topic)).sort(),
    ).toEqual([
      '"devices/topic-2/messages/devicebound/#"',
      '"devices/topic-2/messages/events/"',
      '"devices/topic-2/modules/azureiotsecurity/inputs/#"',
    ]);
    // The time-window rules run periodically; run them now rather than wait for the next round.
    await api.server.analytics.runPeriodicChecks();
    expect(await alertCount('IoT_CA_UnauthorizedOperationsNotInAllowedRange', 'topic-1')).toBe(1);
    expect(await alertCount('IoT_CA_UnauthorizedOperationsNotInAllowedRange', 'topic-2')).toBe(0);
  });

  it('certificate-churn: CAs added and deleted through the service API, one add refused, each alerted', async () => {
    const result = await simulate(api, [
      '--prefix',
      'churn-',
      '--devices',
      '1',
      '--profile',
      'telemetry',
      '--scenario',
      'certificate-churn',
      '--duration-seconds',
      '1.5',
    ]);
    expect(result.err).toBe('');
    expect(result.out).toContain(
      "churn-1 is now under attack: the hub's CA certificates added and deleted repeatedly, plus a failed add (1 refused by the hub)",
    );
    expect(await api.server.store.certificates.list()).toEqual([]);
    // Hub-wide alerts, one per certificate name.
    await eventually(async () => (await alertCount('Hub_CertificateFailedToBeAddedToHub')) > 0);
    expect(await alertCount('IoT_CertificateSuccessfullyAddedToHub', '')).toBe(2);
    expect(await alertCount('IoT_CertificateSuccessfullyDeletedFromHub', '')).toBe(2);
    expect(await alertCount('Hub_CertificateFailedToBeAddedToHub', '')).toBe(1);
  });

  it('refuses scenarios a profile cannot play, naming what it can', async () => {
    const rtos = await simulate(api, ['--profile', 'rtos', '--scenario', 'miner-process']);
    expect(rtos.code).toBe(2);
    expect(rtos.err).toContain(
      'RTOS devices report network activity, system information and heartbeats only',
    );
    const telemetry = await simulate(api, ['--profile', 'telemetry', '--scenario', 'brute-force']);
    expect(telemetry.err).toContain('brute-force needs --profile json-agent or rtos');
  });
});

describe('vigil simulate: RTOS devices', () => {
  it('land FlatBuffers messages the analytics decodes into events, the same for the same seed', async () => {
    const run = async (server: ApiTestServer) => {
      const result = await simulate(server, [
        '--profile',
        'rtos',
        '--prefix',
        'rtos-',
        '--devices',
        '2',
        '--seed',
        '11',
        '--duration-seconds',
        '1.2',
      ]);
      expect(result.err).toBe('');
      expect(result.out).toContain('  rtos-1 connected (rtos)');
      expect(result.out).toMatch(/2\/2 connected · [1-9]\d* messages/);
      await eventually(
        async () =>
          (await server.server.store.securityEvents.list({ deviceId: 'rtos-1', limit: 100 })).length >= 8,
      );
      return server.server.store.securityEvents.list({ deviceId: 'rtos-1', limit: 100 });
    };
    const events = await run(api);
    const names = new Set(events.map((event) => event.name));
    expect([...names].sort()).toEqual(['Heartbeat', 'NetworkActivity', 'SystemInformation']);
    // RTOS devices connect as the device (their module rides on its hub client), not as a module.
    expect(events.every((event) => event.moduleId === null)).toBe(true);
    expect(
      await api.server.store.identities.get({ deviceId: 'rtos-1', moduleId: 'azureiotsecurity' }),
    ).toBeUndefined();
    const system = events.find((event) => event.name === 'SystemInformation');
    expect(JSON.stringify(system?.payload)).toContain('Azure RTOS 6.2');
    const activity = events.filter((event) => event.name === 'NetworkActivity');
    expect(activity.length).toBeGreaterThan(5);
    expect(JSON.stringify(activity[0]!.payload)).toMatch(
      /"remoteAddress":"(20\.42\.65\.92|162\.159\.200\.1|1\.1\.1\.1)"/,
    );
    expect(api.server.analytics.stats().rejectedMessages ?? 0).toBe(0);

    // A fresh server, the same seed: the same devices send the same events (ids and flows).
    const other = await startApiTestServer();
    try {
      const again = await run(other);
      const first = (list: typeof events) => {
        const oldest = [...list].reverse().find((event) => event.name === 'NetworkActivity')!;
        return { eventId: oldest.eventId, flows: oldest.payload.flows };
      };
      expect(first(again)).toEqual(first(events));
    } finally {
      await other.close();
    }
  });
});
