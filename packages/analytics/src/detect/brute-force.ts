import type { LoginAttempt } from '@vigil/protocol';
import type { Millis } from '@vigil/storage';
import { ALERT_TYPES } from '../catalogue/alert-types.js';
import type { AlertFinding } from '../findings/finding.js';
import { eventTime, type DeviceMessage } from './context.js';
import { toEvidence } from './evidence.js';

/** When failed logins count as brute force. */
export interface BruteForceOptions {
  /** Failed logins from one source within the window that make an attempt (default 10). */
  readonly failures: number;
  /** The window (default 10 minutes). */
  readonly windowMs: number;
}

/** Defaults documented in docs/detections.md. */
export const DEFAULT_BRUTE_FORCE: BruteForceOptions = { failures: 10, windowMs: 10 * 60_000 };

/** Kept per device between messages: recent failure times per source address, bounded. */
export interface BruteForceState {
  readonly failuresBySource: Record<string, Millis[]>;
}

const MAX_SOURCES = 256;

/** An empty {@link BruteForceState}. */
export function emptyBruteForceState(): BruteForceState {
  return { failuresBySource: {} };
}

/**
 * Brute force over Login events. Rule: at least `failures` failed logins from one source address
 * (remote address, or `local` when none) within `windowMs` raise a *failed* brute force alert (low);
 * a successful login from that source while the count stands raises a *successful* one (high) and
 * starts the count again. Fewer failures than the threshold never alert, whatever follows.
 */
export function detectBruteForce(
  input: DeviceMessage,
  state: BruteForceState,
  options: BruteForceOptions = DEFAULT_BRUTE_FORCE,
): { findings: AlertFinding[]; state: BruteForceState } {
  const failuresBySource: Record<string, Millis[]> = { ...state.failuresBySource };
  const findings: AlertFinding[] = [];
  for (const event of input.message.events) {
    if (event.kind !== 'login') continue;
    const at = eventTime(event.timeUtc, input.receivedAt);
    for (const attempt of event.attempts) {
      const source = attempt.remoteAddress ?? 'local';
      const recent = (failuresBySource[source] ?? []).filter((time) => at - time < options.windowMs);
      if (attempt.result === 'fail') {
        recent.push(at);
        if (recent.length === options.failures) {
          findings.push(finding('failed', input, source, attempt, recent.length, at));
        }
        failuresBySource[source] = recent.slice(-options.failures * 4);
      } else {
        if (recent.length >= options.failures) {
          findings.push(finding('succeeded', input, source, attempt, recent.length, at));
        }
        delete failuresBySource[source];
      }
    }
  }
  return { findings, state: { failuresBySource: boundSources(failuresBySource) } };
}

function finding(
  outcome: 'failed' | 'succeeded',
  input: DeviceMessage,
  source: string,
  attempt: LoginAttempt,
  failures: number,
  at: Millis,
): AlertFinding {
  const type = outcome === 'failed' ? ALERT_TYPES.bruteForceFailed : ALERT_TYPES.bruteForceSucceeded;
  return {
    kind: 'alert',
    typeId: type.typeId,
    deviceId: input.deviceId,
    key: outcome === 'failed' ? source : `${source}|${attempt.userName ?? attempt.userId ?? ''}`,
    severity: type.severity,
    title: type.title,
    at,
    evidence: toEvidence({ sourceAddress: source, failedLogins: failures, lastAttempt: attempt }),
    remediation: type.remediation,
  };
}

function boundSources(failures: Record<string, Millis[]>): Record<string, Millis[]> {
  const entries = Object.entries(failures);
  if (entries.length <= MAX_SOURCES) return failures;
  // Keep the sources with the newest failures: an attacker rotating addresses must not evict everything.
  entries.sort((a, b) => (b[1].at(-1) ?? 0) - (a[1].at(-1) ?? 0));
  return Object.fromEntries(entries.slice(0, MAX_SOURCES));
}
