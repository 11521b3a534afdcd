import type { FirewallRule, ListeningPort } from '@vigil/protocol';
import type { JsonObject } from '@vigil/storage';
import { RECOMMENDATION_TYPES, type RecommendationType } from '../catalogue/recommendation-types.js';
import type { RecommendationFinding } from '../findings/finding.js';
import { eventTime, type DeviceMessage } from './context.js';
import { toEvidence } from './evidence.js';

/** Share of small messages from which the agent is told to batch more (reference §4.5: 10%). */
const UNUTILIZED_SHARE = 0.1;
const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.|localhost$)/i;
const ANY = new Set(['', '*', 'any', '0.0.0.0/0', '::/0', '0.0.0.0', '::']);

/**
 * Recommendations from a device's snapshot events. Each snapshot fully describes its subject (all
 * listening ports, the whole firewall, every failed baseline check), so each one raises the
 * recommendation when the condition holds and resolves it when it no longer does; storage turns
 * repeats into no-ops.
 */
export function assessDevicePosture(input: DeviceMessage): RecommendationFinding[] {
  const findings: RecommendationFinding[] = [];
  const emit = (
    type: RecommendationType,
    holds: boolean,
    at: number,
    details: JsonObject,
    key = '',
  ): void => {
    findings.push({
      kind: 'recommendation',
      typeId: type.typeId,
      deviceId: input.deviceId,
      key,
      severity: type.severity,
      state: holds ? 'raised' : 'resolved',
      at,
      details,
    });
  };
  for (const event of input.message.events) {
    const at = eventTime(event.timeUtc, input.receivedAt);
    switch (event.kind) {
      case 'listening-ports': {
        const open = event.ports.filter(isExposed);
        emit(RECOMMENDATION_TYPES.openPorts, open.length > 0, at, {
          ports: open.map((port) => toEvidence(port)),
        });
        break;
      }
      case 'firewall-configuration':
        assessFirewall(event.rules, at, emit);
        break;
      case 'baseline': {
        // One snapshot describes one subject (the OS, the containers, the Edge deployment), so each
        // subject keeps its own recommendation: a clean container report must not resolve the OS's.
        const subjects = groupBy(event.checks, (check) => baselineSubject(check.checkId));
        if (subjects.size === 0) subjects.set('', []); // an empty OS snapshot: nothing fails
        for (const [subject, checks] of subjects) {
          const failed = checks.filter((check) => check.result !== 'pass');
          emit(
            RECOMMENDATION_TYPES.baseline,
            failed.length > 0,
            at,
            { checks: failed.map((check) => toEvidence(check)) },
            subject,
          );
        }
        break;
      }
      case 'configuration-error': {
        const byType = (errorType: string) => event.errors.filter((error) => error.errorType === errorType);
        const notOptimal = byType('NotOptimal');
        const conflict = byType('Conflict');
        emit(RECOMMENDATION_TYPES.twinNotOptimal, notOptimal.length > 0, at, {
          errors: notOptimal.map((error) => toEvidence(error)),
        });
        emit(RECOMMENDATION_TYPES.twinConflict, conflict.length > 0, at, {
          errors: conflict.map((error) => toEvidence(error)),
        });
        break;
      }
      case 'message-statistics': {
        const sent = sum(event.statistics.map((entry) => entry.messagesSent));
        const small = sum(event.statistics.map((entry) => entry.messagesUnder4Kb));
        if (sent > 0) {
          emit(RECOMMENDATION_TYPES.unutilizedMessages, small / sent >= UNUTILIZED_SHARE, at, {
            messagesSent: sent,
            messagesUnder4Kb: small,
          });
        }
        break;
      }
      case 'network-activity':
      case 'process':
      case 'system-information':
      case 'heartbeat':
      case 'log':
      case 'login':
      case 'local-users':
      case 'connected-hardware':
      case 'diagnostic':
      case 'dropped-events':
        // No posture in these: they feed alerts, not recommendations.
        break;
    }
  }
  return findings;
}

/**
 * The subject a baseline check belongs to, the recommendation's key: `containers` and
 * `edge-deployment` for the Vigil agent's container and IoT Edge snapshots (check ids `VIGIL-CTR-…`,
 * `VIGIL-EDGE-…`), and `''` for the operating system's checks, from any agent.
 */
function baselineSubject(checkId: string): string {
  if (checkId.startsWith('VIGIL-CTR-')) return 'containers';
  if (checkId.startsWith('VIGIL-EDGE-')) return 'edge-deployment';
  return '';
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

function isExposed(port: ListeningPort): boolean {
  if (port.localPort === '*' || port.localPort === '0') return false;
  return port.localAddress === undefined || !LOOPBACK.test(port.localAddress);
}

type Emit = (type: RecommendationType, holds: boolean, at: number, details: JsonObject, key?: string) => void;

/**
 * Firewall rules as the agents report them (reference §2.2): ordered by priority within a chain, the
 * chain's default policy appended as its last rule. A chain whose policy allows is a permissive policy;
 * an allowing rule before it with no address and no port restriction is a permissive rule.
 */
function assessFirewall(rules: readonly FirewallRule[], at: number, emit: Emit): void {
  const chains = new Map<string, FirewallRule[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const name = (rule.chainName ?? (rule.direction === 'out' ? 'OUTPUT' : 'INPUT')).toUpperCase();
    chains.set(name, [...(chains.get(name) ?? []), rule]);
  }
  for (const chain of ['INPUT', 'OUTPUT'] as const) {
    const ordered = [...(chains.get(chain) ?? [])].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    const policy = ordered.at(-1);
    emit(RECOMMENDATION_TYPES.permissiveFirewallPolicy, policy?.action === 'allow', at, { chain }, chain);
    const permissive = ordered.slice(0, -1).filter((rule) => isWideOpen(rule, chain));
    const type =
      chain === 'INPUT'
        ? RECOMMENDATION_TYPES.permissiveInputRules
        : RECOMMENDATION_TYPES.permissiveOutputRules;
    emit(type, permissive.length > 0, at, { rules: permissive.map((rule) => toEvidence(rule)) });
  }
}

function isWideOpen(rule: FirewallRule, chain: 'INPUT' | 'OUTPUT'): boolean {
  if (rule.action !== 'allow') return false;
  const address = chain === 'INPUT' ? rule.sourceAddress : rule.destinationAddress;
  return (
    ANY.has((address ?? '').trim().toLowerCase()) &&
    ANY.has((rule.destinationPort ?? '').trim().toLowerCase())
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
