/**
 * Detection thresholds set through the server's settings (environment and flags, as `vigil serve`
 * reads them) and applied by the server's own analytics runner: a device-silent time of two hours
 * instead of 72, and IP-filter large ranges from /24 (IPv4) and /56 (IPv6) instead of /16 and /48.
 * Each raises just past the configured threshold, where the default would stay quiet, and a value at
 * the threshold raises nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsServerOptions, resolveServerSettings } from '@vigil/server';
import { startScenarioServer, type ScenarioEvent, type ScenarioServer } from './support/scenario-server.js';
import { processItem } from '@vigil/sim';

let t: ScenarioServer;

beforeAll(async () => {
  const settings = await resolveServerSettings({
    env: { VIGIL_DEVICE_SILENT_AFTER: 'PT2H', VIGIL_IP_FILTER_LARGE_RANGE_IPV4_PREFIX: '24' },
    flags: { ipFilterLargeRangeIpv6Prefix: '56' },
  });
  t = await startScenarioServer({ serverOptions: analyticsServerOptions(settings) });
}, 30_000);
afterAll(() => t?.stop());

const hello: ScenarioEvent = {
  name: 'ProcessCreate',
  payload: [
    processItem({
      executable: '/bin/true',
      commandLine: '/bin/true',
      processId: 9,
      parentProcessId: 1,
      userId: '0',
      userName: 'root',
    }),
  ],
};

/** Runs the time-based checks of the server's own runner, which carries the configured thresholds. */
async function serverChecks(): Promise<void> {
  await t.settle();
  await t.server.analytics.runPeriodicChecks();
}

describe('configured thresholds', () => {
  it('device silent after the configured two hours: a device silent a minute longer alerts, one a minute short does not', async () => {
    for (const deviceId of ['quiet-over', 'quiet-under'])
      await t.sendEvents(await t.addAgent(deviceId), [hello]);
    await t.settle();
    // Time cannot pass in a test: each device's last-message time is moved back instead, as two
    // hours of silence would have left it.
    const now = Date.now();
    for (const [deviceId, silentMs] of [
      ['quiet-over', 2 * 3_600_000 + 60_000],
      ['quiet-under', 2 * 3_600_000 - 60_000],
    ] as const) {
      const state = (await t.store.deviceStates.get(deviceId))!;
      await t.store.deviceStates.put({ ...state, lastMessageAt: now - silentMs });
    }
    await serverChecks();
    expect(await t.alertKeys({ typeId: 'Vigil_DeviceSilent' })).toEqual(['quiet-over:Vigil_DeviceSilent']);
  });

  it('IP-filter rules wider than the configured /24 and /56 raise IoT_IPFilter_PermissiveRule; rules at /24 and /56 do not', async () => {
    const put = await t.call('PUT', '/api/hub/ip-filter', {
      defaultAction: 'reject',
      rules: [
        { name: 'loopback', action: 'accept', ipMask: '127.0.0.1/32' },
        { name: 'v4-wider', action: 'accept', ipMask: '10.1.0.0/23' },
        { name: 'v4-at', action: 'accept', ipMask: '10.2.0.0/24' },
        { name: 'v6-wider', action: 'accept', ipMask: '2001:db8::/55' },
        { name: 'v6-at', action: 'accept', ipMask: '2001:db8:1::/56' },
      ],
    });
    expect(put.status).toBe(200);
    await serverChecks();
    const page = await t.client.listRecommendations({ state: 'raised', limit: 500 });
    const permissive = page.items.find((item) => item.typeId === 'IoT_IPFilter_PermissiveRule');
    expect(permissive?.details).toEqual({
      rules: [
        { name: 'v4-wider', ipMask: '10.1.0.0/23' },
        { name: 'v6-wider', ipMask: '2001:db8::/55' },
      ],
    });
  });

  it('with only rules at the thresholds the recommendation resolves', async () => {
    const put = await t.call('PUT', '/api/hub/ip-filter', {
      defaultAction: 'reject',
      rules: [
        { name: 'loopback', action: 'accept', ipMask: '127.0.0.1/32' },
        { name: 'v4-at', action: 'accept', ipMask: '10.2.0.0/24' },
        { name: 'v6-at', action: 'accept', ipMask: '2001:db8:1::/56' },
      ],
    });
    expect(put.status).toBe(200);
    await serverChecks();
    expect(await t.raisedRecommendations()).not.toContain(':IoT_IPFilter_PermissiveRule');
    const resolved = await t.client.listRecommendations({ state: 'resolved', limit: 500 });
    expect(resolved.items.map((item) => item.typeId)).toContain('IoT_IPFilter_PermissiveRule');
  });
});
