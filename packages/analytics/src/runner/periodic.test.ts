import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '@vigil/storage';
import { defaultSecurityGroupRules } from '../catalogue/custom-rules.js';
import { checkHubPosture, checkRangeRules, checkSilentDevices } from './periodic.js';
import type { ApplyOutcome } from './apply-findings.js';

const T = Date.UTC(2026, 10, 22, 12);
const HOUR = 3600_000;
let dir: string;
let store: Store;
const outcome = (): ApplyOutcome => ({
  alertsCreated: 0,
  alertsMerged: 0,
  recommendationsRaised: 0,
  recommendationsResolved: 0,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-periodic-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const seen = (deviceId: string, lastMessageAt: number, securityGroup = 'default') =>
  store.deviceStates.put({ deviceId, securityGroup, lastMessageAt, state: {} });

describe('device silent', () => {
  it('alerts for a device silent past the threshold, once per silence; a device that spoke within it is fine', async () => {
    await seen('quiet', T - 73 * HOUR);
    await seen('chatty', T - 71 * HOUR);
    await checkSilentDevices(store, T, 72 * HOUR, outcome());
    await checkSilentDevices(store, T + 60_000, 72 * HOUR, outcome());
    const alerts = await store.alerts.list();
    expect(alerts.map((a) => [a.typeId, a.deviceId])).toEqual([['Vigil_DeviceSilent', 'quiet']]);
    // The second check is the same silence: not a new occurrence.
    expect(alerts[0]!.occurrences).toBe(1);
  });
});

describe('time-window custom rules', () => {
  const failedLogins = (deviceId: string, count: number, at: number) =>
    store.securityEvents.record([
      {
        eventId: `${deviceId}/${at}`,
        deviceId,
        moduleId: 'azureiotsecurity',
        name: 'Login',
        category: 'Triggered',
        eventType: 'Security',
        at,
        receivedAt: at,
        payload: {
          kind: 'login',
          attempts: Array.from({ length: count }, () => ({ result: 'fail', userName: 'pi' })),
        },
        ingestId: null,
      },
    ]);

  it('bounds are inclusive: max 3 allows 3 failed logins and alerts on 4; disabled rules never alert', async () => {
    const rules = defaultSecurityGroupRules().map((rule) =>
      rule.ruleId === 'FailedLocalLoginsNotInAllowedRange' && rule.kind === 'range'
        ? { ...rule, enabled: true, max: 3 }
        : rule,
    );
    await store.securityGroups.put({ name: 'default', rules });
    await seen('at-limit', T);
    await seen('over', T);
    await failedLogins('at-limit', 3, T - 60_000);
    await failedLogins('over', 4, T - 60_000);
    await failedLogins('over', 50, T - 20 * 60_000); // outside the PT15M window
    await checkRangeRules(store, T, outcome());
    const alerts = await store.alerts.list();
    expect(alerts.map((a) => [a.typeId, a.deviceId])).toEqual([
      ['IoT_CA_FailedLocalLoginsNotInAllowedRange', 'over'],
    ]);
    expect(alerts[0]!.evidence[0]).toMatchObject({ count: 4, min: 0, max: 3, window: 'PT15M' });
  });

  it('counts operations for hub-side rules (unauthorized operations below a minimum also alert)', async () => {
    const rules = defaultSecurityGroupRules().map((rule) =>
      rule.ruleId === 'DirectMethodInvokesNotInAllowedRange' && rule.kind === 'range'
        ? { ...rule, enabled: true, min: 1, max: 2 }
        : rule,
    );
    await store.securityGroups.put({ name: 'default', rules });
    await seen('idle', T);
    await seen('busy', T);
    await seen('ok', T);
    const invoke = (deviceId: string, i: number) => ({
      operation: 'methodInvoked',
      at: T - 1000 * (i + 1),
      outcome: 'success' as const,
      deviceId,
    });
    await store.operations.record([invoke('busy', 0), invoke('busy', 1), invoke('busy', 2), invoke('ok', 0)]);
    await checkRangeRules(store, T, outcome());
    const alerts = await store.alerts.list();
    expect(alerts.map((a) => a.deviceId).sort()).toEqual(['busy', 'idle']);
  });
});

describe('fleets larger than one storage page (1,000 rows)', () => {
  /** 1,205 devices: pairs sharing a last-message time, so page boundaries fall inside ties. */
  const FLEET = 1_205;
  const name = (i: number) => `fleet-${String(i).padStart(4, '0')}`;
  const seeFleet = async (group: string) => {
    for (let i = 0; i < FLEET; i += 1) await seen(name(i), T - 80 * HOUR + Math.floor(i / 2) * 1000, group);
  };

  it('every silent device alerts, not only the first thousand', async () => {
    await seeFleet('default');
    const counts = outcome();
    await checkSilentDevices(store, T, 72 * HOUR, counts);
    expect(counts.alertsCreated).toBe(FLEET);
    expect(await store.alerts.count({ typeId: 'Vigil_DeviceSilent' })).toBe(FLEET);
    expect(await store.alerts.count({ typeId: 'Vigil_DeviceSilent', deviceId: name(FLEET - 1) })).toBe(1);
  });

  it('time-window rules reach the devices past the thousandth of their group', async () => {
    const rules = defaultSecurityGroupRules().map((rule) =>
      rule.ruleId === 'DirectMethodInvokesNotInAllowedRange' && rule.kind === 'range'
        ? { ...rule, enabled: true, max: 0 }
        : rule,
    );
    await store.securityGroups.put({ name: 'fleet', rules });
    await seeFleet('fleet');
    const busy = [name(0), name(1_000), name(1_001), name(FLEET - 1)];
    await store.operations.record(
      busy.map((deviceId) => ({ operation: 'methodInvoked', at: T - 1000, outcome: 'success', deviceId })),
    );
    await checkRangeRules(store, T, outcome());
    const alerts = await store.alerts.list({ limit: 100 });
    expect(alerts.map((a) => a.deviceId).sort()).toEqual(busy);
  });
});

describe('hub posture', () => {
  it('raises the IP filter and diagnostics recommendations for a default hub', async () => {
    await checkHubPosture(store, T, undefined, outcome());
    const raised = await store.recommendations.list({ state: 'raised' });
    expect(raised.map((r) => r.typeId).sort()).toEqual([
      'IoT_IPFilter_DenyAll',
      'Vigil_DiagnosticsLogsDisabled',
    ]);
  });
});
