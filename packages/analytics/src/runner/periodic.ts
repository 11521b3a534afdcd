import { parseDuration } from '@vigil/protocol';
import type { CustomRule, DeviceSecurityState, Store } from '@vigil/storage';
import { ALERT_TYPES } from '../catalogue/alert-types.js';
import { RANGE_RULE_TYPES, isOutsideRange, type RangeRuleType } from '../catalogue/custom-rules.js';
import type { AlertFinding, Finding, RecommendationFinding } from '../findings/finding.js';
import { assessHubPosture, HUB_POSTURE_TYPE_IDS, type HubPostureOptions } from '../detect/hub-posture.js';
import { applyFindings, type ApplyOutcome } from './apply-findings.js';

/** Rows per page of the scans here (storage's read limit). */
const PAGE = 1000;

/** Default silence before a device-silent alert (reference §4.2: 72 hours). */
export const DEFAULT_SILENT_AFTER_MS = 72 * 3600_000;

/**
 * Device silent: one alert per device and silence period (the key is the time of the last message, so
 * a device that speaks and falls silent again gets a new alert).
 */
export async function checkSilentDevices(
  store: Store,
  now: number,
  silentAfterMs: number,
  outcome: ApplyOutcome,
): Promise<void> {
  const type = ALERT_TYPES.deviceSilent;
  for await (const device of deviceStates(store, now - silentAfterMs)) {
    const finding: AlertFinding = {
      kind: 'alert',
      typeId: type.typeId,
      deviceId: device.deviceId,
      key: String(device.lastMessageAt ?? 0),
      severity: type.severity,
      title: type.title,
      at: now,
      evidence: { lastMessageAt: device.lastMessageAt, silentForMs: now - (device.lastMessageAt ?? now) },
      remediation: type.remediation,
    };
    await applyFindings(store, [finding], `silent:${finding.deviceId}:${finding.key}`, outcome);
  }
}

/**
 * Every device state whose last message is before `before`, oldest first, page by page: a fleet of
 * any size is seen whole, never cut at storage's read limit.
 */
async function* deviceStates(store: Store, before: number): AsyncGenerator<DeviceSecurityState> {
  let after: { deviceId: string; lastMessageAt: number } | undefined;
  for (;;) {
    const page = await store.deviceStates.listSilent(before, {
      limit: PAGE,
      ...(after === undefined ? {} : { after }),
    });
    yield* page;
    const last = page.at(-1);
    if (page.length < PAGE || last?.lastMessageAt === undefined || last.lastMessageAt === null) return;
    after = { deviceId: last.deviceId, lastMessageAt: last.lastMessageAt };
  }
}

/** The hub-wide recommendations, assessed from the current settings and registry. */
export async function checkHubPosture(
  store: Store,
  now: number,
  options: HubPostureOptions | undefined,
  outcome: ApplyOutcome,
): Promise<void> {
  const settings = await store.hubSettings.get();
  const identities = [];
  let after: { deviceId: string; moduleId: string | null } | undefined;
  for (;;) {
    const page = await store.identities.list({ limit: 1000, ...(after === undefined ? {} : { after }) });
    identities.push(...page);
    const last = page.at(-1);
    if (page.length < 1000 || last === undefined) break;
    after = { deviceId: last.deviceId, moduleId: last.moduleId };
  }
  const findings = assessHubPosture(settings, identities, now, options);
  await applyFindings(store, findings, `hub-posture:${now}`, outcome);
  await resolveUnassessed(store, findings, now, outcome);
}

/**
 * The assessment covers every existing identity, so a raised hub-posture recommendation it did not
 * mention belongs to an identity that is gone (deleting one of two identities sharing a key leaves
 * the deleted one's recommendation behind otherwise): resolve it.
 */
async function resolveUnassessed(
  store: Store,
  findings: readonly RecommendationFinding[],
  now: number,
  outcome: ApplyOutcome,
): Promise<void> {
  const assessed = new Set(findings.map((finding) => recommendationKey(finding)));
  for (const typeId of HUB_POSTURE_TYPE_IDS) {
    let afterId = 0;
    for (;;) {
      const page = await store.recommendations.list({ state: 'raised', typeId, afterId, limit: PAGE });
      const stale: RecommendationFinding[] = page
        .filter((raised) => !assessed.has(recommendationKey(raised)))
        .map((raised) => ({
          kind: 'recommendation',
          typeId: raised.typeId,
          deviceId: raised.deviceId,
          key: raised.key,
          severity: raised.severity,
          state: 'resolved',
          at: now,
          details: {},
        }));
      await applyFindings(store, stale, `hub-posture:${now}`, outcome);
      const last = page.at(-1);
      if (page.length < PAGE || last === undefined) break;
      afterId = last.id;
    }
  }
}

function recommendationKey(recommendation: Pick<RecommendationFinding, 'typeId' | 'deviceId' | 'key'>) {
  return JSON.stringify([recommendation.typeId, recommendation.deviceId, recommendation.key]);
}

/**
 * Time-window custom alerts: for every group with enabled range rules, counts each of its devices'
 * activity over the rule's window and raises `IoT_CA_<ruleId>` when the count is outside [min, max]
 * (bounds inclusive). One alert per device, rule and window start.
 */
export async function checkRangeRules(store: Store, now: number, outcome: ApplyOutcome): Promise<void> {
  const rulesByGroup = new Map<string, Extract<CustomRule, { kind: 'range' }>[]>();
  for (const group of await store.securityGroups.list()) {
    const rules = group.rules.filter(
      (rule): rule is Extract<CustomRule, { kind: 'range' }> => rule.kind === 'range' && rule.enabled,
    );
    if (rules.length > 0) rulesByGroup.set(group.name, rules);
  }
  if (rulesByGroup.size === 0) return;
  // Every device that ever sent a message has a state naming its group; all of them, page by page.
  for await (const state of deviceStates(store, Number.MAX_SAFE_INTEGER)) {
    const rules = rulesByGroup.get(state.securityGroup);
    if (rules === undefined) continue;
    const { deviceId } = state;
    const findings: Finding[] = [];
    for (const rule of rules) {
      const type = RANGE_RULE_TYPES.find((candidate) => candidate.ruleId === rule.ruleId);
      if (type === undefined) continue;
      const windowMs = parseDuration(rule.window);
      const since = now - windowMs;
      const count = await countActivity(store, type, deviceId, since, now);
      if (!isOutsideRange(count, rule)) continue;
      findings.push({
        kind: 'alert',
        typeId: `IoT_CA_${rule.ruleId}`,
        deviceId,
        key: String(Math.floor(now / windowMs) * windowMs),
        severity: 'low',
        title: `Custom alert - ${type.displayName}`,
        at: now,
        evidence: {
          count,
          min: rule.min,
          max: rule.max,
          window: rule.window,
          securityGroup: state.securityGroup,
        },
        remediation: [
          'Confirm whether the activity is expected; adjust the allowed range of the security group if so.',
        ],
      });
    }
    await applyFindings(store, findings, `range:${deviceId}:${Math.floor(now / 60_000)}`, outcome);
  }
}

async function countActivity(
  store: Store,
  type: RangeRuleType,
  deviceId: string,
  since: number,
  until: number,
): Promise<number> {
  switch (type.source.kind) {
    case 'operation': {
      const filter = { deviceId, operation: type.source.operation, since, until };
      if (type.source.sumsDetailsCount !== true) return store.operations.count(filter);
      let total = 0;
      let before: number | undefined;
      for (;;) {
        const page = await store.operations.list({
          ...filter,
          limit: PAGE,
          ...(before === undefined ? {} : { before }),
        });
        for (const operation of page)
          total += typeof operation.details.count === 'number' ? operation.details.count : 1;
        const last = page.at(-1);
        if (page.length < PAGE || last === undefined) return total;
        before = last.id;
      }
    }
    case 'active-connections': {
      const events = await store.securityEvents.list({
        deviceId,
        name: 'ConnectionCreate',
        since,
        until,
        limit: 1000,
      });
      return events.reduce(
        (total, event) =>
          total +
          (Array.isArray(event.payload.flows) ? event.payload.flows.length : 0) +
          // Oversized events are stored cut; the count of what was left out keeps the total true.
          (typeof event.payload.omittedItems === 'number' ? event.payload.omittedItems : 0),
        0,
      );
    }
    case 'failed-logins': {
      const events = await store.securityEvents.list({ deviceId, name: 'Login', since, until, limit: 1000 });
      return events.reduce(
        (total, event) =>
          total +
          (Array.isArray(event.payload.attempts)
            ? event.payload.attempts.filter(
                (attempt) =>
                  typeof attempt === 'object' &&
                  attempt !== null &&
                  !Array.isArray(attempt) &&
                  attempt.result === 'fail',
              ).length
            : 0),
        0,
      );
    }
  }
}
