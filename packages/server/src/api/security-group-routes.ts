import type { FastifyInstance } from 'fastify';
import { tryParseDuration } from '@vigil/protocol';
import { ALLOWLIST_RULES, RANGE_RULE_TYPES, defaultSecurityGroupRules, parseCidr } from '@vigil/analytics';
import type { CustomRule, SecurityGroup, Store } from '@vigil/storage';
import { ApiError, validationFailed, type Violation } from './errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 7 * 24 * 3600_000;
const MAX_LIST_VALUES = 1_000;
const MAX_THRESHOLD = 1_000_000_000;
const RANGE_IDS = new Set(RANGE_RULE_TYPES.map((type) => type.ruleId));
const ALLOWLIST_IDS = new Set(Object.keys(ALLOWLIST_RULES));

/** A group as the API shows it: every rule present (defaults filled in), with display names. */
function present(group: Pick<SecurityGroup, 'name' | 'etag' | 'updatedAt' | 'rules'>) {
  return {
    name: group.name,
    etag: group.etag,
    updatedAt: group.updatedAt,
    rules: effectiveRules(group.rules).map((rule) => ({
      ...rule,
      displayName:
        rule.kind === 'range'
          ? (RANGE_RULE_TYPES.find((type) => type.ruleId === rule.ruleId)?.displayName ?? rule.ruleId)
          : (ALLOWLIST_RULES[rule.ruleId as keyof typeof ALLOWLIST_RULES] ?? rule.ruleId),
    })),
  };
}

/** The defaults of a new group overlaid with what is stored, rule by rule. */
function effectiveRules(stored: readonly CustomRule[]): CustomRule[] {
  const byId = new Map(stored.map((rule) => [rule.ruleId, rule]));
  return defaultSecurityGroupRules().map((rule) => byId.get(rule.ruleId) ?? rule);
}

function groupName(params: unknown): string {
  const name = (params as { name?: string }).name ?? '';
  if (!NAME.test(name)) {
    throw validationFailed([
      { path: 'params.name', message: 'must be 1–64 letters, digits, dots, dashes or underscores' },
    ]);
  }
  return name;
}

/** Validates a rules update, listing every problem; returns the rules to merge. */
export function readRuleUpdate(body: unknown): CustomRule[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationFailed([{ path: 'body', message: 'must be an object with a rules array' }]);
  }
  const { rules, ...rest } = body as Record<string, unknown>;
  const violations: Violation[] = Object.keys(rest).map((key) => ({
    path: `body.${key}`,
    message: 'is not a field of this request',
  }));
  if (!Array.isArray(rules)) {
    violations.push({ path: 'body.rules', message: 'must be an array of rules' });
    throw validationFailed(violations);
  }
  const seen = new Set<string>();
  const accepted: CustomRule[] = [];
  rules.forEach((raw: unknown, index) => {
    const path = `body.rules[${index}]`;
    const before = violations.length;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      violations.push({ path, message: 'must be an object' });
      return;
    }
    const rule = raw as Record<string, unknown>;
    const ruleId = typeof rule.ruleId === 'string' ? rule.ruleId : '';
    const kind = RANGE_IDS.has(ruleId) ? 'range' : ALLOWLIST_IDS.has(ruleId) ? 'allowlist' : undefined;
    if (kind === undefined) {
      violations.push({
        path: `${path}.ruleId`,
        message: `must be one of ${[...RANGE_IDS, ...ALLOWLIST_IDS].join(', ')}`,
      });
      return;
    }
    if (seen.has(ruleId)) violations.push({ path: `${path}.ruleId`, message: `${ruleId} appears twice` });
    seen.add(ruleId);
    if (typeof rule.enabled !== 'boolean')
      violations.push({ path: `${path}.enabled`, message: 'must be true or false' });
    const allowed =
      kind === 'range'
        ? ['ruleId', 'kind', 'enabled', 'min', 'max', 'window']
        : ['ruleId', 'kind', 'enabled', 'values'];
    for (const key of Object.keys(rule)) {
      if (!allowed.includes(key))
        violations.push({ path: `${path}.${key}`, message: `is not a field of a ${kind} rule` });
    }
    if (rule.kind !== undefined && rule.kind !== kind)
      violations.push({ path: `${path}.kind`, message: `must be ${kind} for ${ruleId}` });
    if (kind === 'range') {
      for (const bound of ['min', 'max'] as const) {
        const value = rule[bound];
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_THRESHOLD) {
          violations.push({
            path: `${path}.${bound}`,
            message: `must be a whole number from 0 to ${MAX_THRESHOLD}`,
          });
        }
      }
      if (typeof rule.min === 'number' && typeof rule.max === 'number' && rule.min > rule.max) {
        violations.push({ path: `${path}.max`, message: 'must not be below min' });
      }
      const window = typeof rule.window === 'string' ? tryParseDuration(rule.window) : undefined;
      if (window === undefined || !window.ok || window.ms < MIN_WINDOW_MS || window.ms > MAX_WINDOW_MS) {
        violations.push({
          path: `${path}.window`,
          message: 'must be an ISO-8601 duration from PT1M to P7D, e.g. PT15M',
        });
      }
      if (violations.length === before) {
        accepted.push({
          kind,
          ruleId,
          enabled: rule.enabled as boolean,
          min: rule.min as number,
          max: rule.max as number,
          window: rule.window as string,
        });
      }
    } else {
      const values = rule.values;
      if (!Array.isArray(values) || values.length > MAX_LIST_VALUES) {
        violations.push({
          path: `${path}.values`,
          message: `must be a list of at most ${MAX_LIST_VALUES} values`,
        });
      } else {
        values.forEach((value: unknown, at) => {
          if (typeof value !== 'string' || value === '' || value.length > 256) {
            violations.push({
              path: `${path}.values[${at}]`,
              message: 'must be non-empty text of at most 256 characters',
            });
          } else if (ruleId === 'ConnectionToIpNotAllowed' && parseCidr(value) === undefined) {
            violations.push({
              path: `${path}.values[${at}]`,
              message: 'must be an IPv4 or IPv6 address or CIDR block',
            });
          }
        });
      }
      if (violations.length === before) {
        accepted.push({ kind, ruleId, enabled: rule.enabled as boolean, values: values as string[] });
      }
    }
  });
  if (violations.length > 0) throw validationFailed(violations);
  return accepted;
}

/** Device security groups and their custom alert rules (reference §4.4). */
export function registerSecurityGroupRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/security-groups', async () => ({ items: (await store.securityGroups.list()).map(present) }));

  app.get('/api/security-groups/:name', async (request) => {
    const name = groupName(request.params);
    const group = await store.securityGroups.get(name);
    if (group === undefined) throw new ApiError('NOT_FOUND', `no security group ${name}`);
    return present(group);
  });

  app.put('/api/security-groups/:name', async (request) => {
    const name = groupName(request.params);
    const updates = readRuleUpdate(request.body);
    const ifMatch = request.headers['if-match'];
    const current = await store.securityGroups.get(name);
    const merged = new Map(effectiveRules(current?.rules ?? []).map((rule) => [rule.ruleId, rule]));
    for (const rule of updates) merged.set(rule.ruleId, rule);
    const saved = await store.securityGroups.put(
      { name, rules: [...merged.values()] },
      typeof ifMatch === 'string' ? { ifMatch } : {},
    );
    return present(saved);
  });

  app.delete('/api/security-groups/:name', async (request, reply) => {
    const name = groupName(request.params);
    if (name === 'default')
      throw new ApiError('CONFLICT', 'the default group always exists and cannot be deleted');
    if (!(await store.securityGroups.delete(name)))
      throw new ApiError('NOT_FOUND', `no security group ${name}`);
    return reply.status(204).send();
  });
}
