/**
 * A benign fleet (JSON security agents and telemetry sensors from @vigil/sim, no attack scenarios) on
 * the real server over ten simulated minutes raises no alert at all; then an attacked fleet's segment
 * of the ingest log is replayed through fresh consumer groups and changes no finding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSecurityMessage, generateSymmetricKey } from '@vigil/protocol';
import { createAnalyticsRunner } from '@vigil/analytics';
import { DEMO_SUSPICIOUS_ADDRESSES, MESSAGE_SCENARIOS, startFleet, type FleetDevice } from '@vigil/sim';
import { eventually, startScenarioServer, type ScenarioServer } from './support/scenario-server.js';

const SIMULATED_MS = 10 * 60_000;
/** Real milliseconds per simulated ten minutes: the fleet's clock runs 200 times faster. */
const SPEED = 200;

let t: ScenarioServer;

beforeAll(async () => {
  // The feed lists the addresses the attack scenarios contact: a benign device never does.
  t = await startScenarioServer({ feed: [...DEMO_SUSPICIOUS_ADDRESSES] });
}, 30_000);
afterAll(() => t?.stop());

describe('a benign fleet', () => {
  it('runs ten simulated minutes, with the time-based checks every simulated minute, and raises no alert', async () => {
    const devices: FleetDevice[] = [];
    for (let i = 0; i < 4; i += 1) {
      devices.push({ identity: await t.addAgent(`benign-agent-${i}`), profile: 'json-agent' });
      const key = generateSymmetricKey();
      await t.store.identities.create({
        deviceId: `benign-sensor-${i}`,
        moduleId: null,
        auth: { type: 'sas', primaryKey: key, secondaryKey: generateSymmetricKey() },
      });
      devices.push({ identity: { deviceId: `benign-sensor-${i}`, key }, profile: 'telemetry' });
    }
    t.server.hub.invalidate();
    const realStart = Date.now();
    const simulated = () => realStart + (Date.now() - realStart) * SPEED;
    const fleet = await startFleet({ endpoint: t.endpoint, devices, seed: 11, tickMs: 100, now: simulated });
    try {
      // Every simulated minute: the silent-device, time-window and hub-posture checks at that time.
      for (let minute = 1; minute <= SIMULATED_MS / 60_000; minute += 1) {
        await new Promise((resolve) => setTimeout(resolve, 60_000 / SPEED));
        await t.clockRunner(() => realStart + minute * 60_000).runPeriodicChecks();
      }
    } finally {
      await fleet.stop();
    }
    await t.settle();
    const stats = fleet.stats();
    expect(stats.errors).toBe(0);
    expect(stats.connected).toBe(devices.length);
    expect(stats.messages).toBeGreaterThan(devices.length * 5);
    expect(
      (await t.store.securityEvents.list({ deviceId: 'benign-agent-0', limit: 10 })).length,
    ).toBeGreaterThan(0);
    expect(await t.alertKeys()).toEqual([]);
    expect(await t.store.alerts.count()).toBe(0);
  }, 30_000);
});

describe('replaying the ingest log', () => {
  type Snapshot = { alerts: string[]; recommendations: string[] };
  const snapshot = async (): Promise<Snapshot> => ({
    alerts: (await t.store.alerts.list({ limit: 1000 }))
      .map(
        (alert) =>
          `${alert.deviceId}|${alert.typeId}|${alert.key}|${alert.status}|${alert.occurrences}|${alert.firstSeenAt}|${alert.lastSeenAt}`,
      )
      .sort(),
    recommendations: (await t.store.recommendations.list({ limit: 1000 }))
      .map(
        (item) =>
          `${item.deviceId}|${item.typeId}|${item.key}|${item.state}|${item.raisedAt}|${item.resolvedAt}`,
      )
      .sort(),
  });
  let before: Snapshot;

  beforeAll(async () => {
    const devices: FleetDevice[] = [];
    for (const scenario of MESSAGE_SCENARIOS)
      devices.push({ identity: await t.addAgent(`attacked-${scenario}`), profile: 'json-agent', scenario });
    const attacked = new Set<string>();
    const fleet = await startFleet({
      endpoint: t.endpoint,
      devices,
      seed: 5,
      tickMs: 100,
      attackAfterMs: 200,
      onEvent: (event) => {
        if (event.kind === 'attack') attacked.add(event.device.identity.deviceId);
      },
    });
    try {
      await eventually(() => Promise.resolve(attacked.size === devices.length ? true : undefined), 100);
    } finally {
      await fleet.stop();
    }
    await t.settle();
    before = await snapshot();
  }, 30_000);

  it('the attacked segment raised alerts to replay (so the replay has something to duplicate)', () => {
    expect(before.alerts.length).toBeGreaterThanOrEqual(4);
    expect(before.alerts.some((entry) => entry.includes('Vigil_CryptoMiner'))).toBe(true);
  });

  // Recommendations are replayed as the snapshots they came from: one raised and later resolved in the
  // segment is raised and resolved again on the way (the runner's stats count that), and ends where it
  // was, with the same times. Alerts, occurrences and events do not move at all.
  it('a second consumer group processing the same records twice over creates no alert, occurrence, recommendation or event', async () => {
    for (const group of ['replay-1', 'replay-2']) {
      const replay = createAnalyticsRunner({
        store: t.store,
        decode: decodeSecurityMessage,
        group,
        batchSize: 64,
      });
      expect(await replay.processAvailable()).toBeGreaterThan(0);
      expect(await snapshot()).toEqual(before);
      expect(replay.stats()).toMatchObject({
        alertsCreated: 0,
        alertsMerged: 0,
        eventsRecorded: 0,
        failedRecords: 0,
      });
      expect(await snapshot()).toEqual(before);
    }
  });

  it('replaying a segment from the middle of the log changes nothing either', async () => {
    const head = await t.store.ingestLog.head();
    const ids: string[] = [];
    for (let page = 0; page < 100; page += 1) {
      const records = await t.store.ingestLog.read({
        group: 'inspect',
        consumer: 'inspect',
        limit: 1000,
        after: ids.at(-1) ?? null,
      });
      ids.push(...records.map((record) => record.id));
      if (records.length < 1000) break;
    }
    const half = Math.floor(ids.length / 2);
    await t.store.ingestLog.commit({ group: 'replay-middle', consumer: 'c', id: ids[half]! });
    const replay = createAnalyticsRunner({
      store: t.store,
      decode: decodeSecurityMessage,
      group: 'replay-middle',
    });
    expect(await replay.processAvailable()).toBe(ids.length - half - 1);
    expect(replay.stats()).toMatchObject({
      alertsCreated: 0,
      alertsMerged: 0,
      eventsRecorded: 0,
    });
    expect(await t.store.ingestLog.head()).toBe(head);
    expect(await snapshot()).toEqual(before);
  });
});
