/**
 * The OSBaseline collector (reference/azure-security-module.md §2.2): runs the CIS-style checks of
 * BASELINE.md and reports each with its id, severity, description, remediation, result and evidence.
 *
 * The legacy agents sent only failed and errored checks; Vigil sends passes too by default, so the
 * hub can close a recommendation once the device is fixed (`reportPassed: false` restores the old
 * behaviour). A check that cannot read what it needs reports `error`, never stops the others.
 */
import type { BaselineCheck } from '@vigil/protocol';
import { readSshdConfig, type SshdConfig } from '../linux/index.js';
import { ACCOUNT_CHECKS } from './baseline-accounts.js';
import type { BaselineCheckSpec, BaselineInput } from './baseline-check.js';
import { SSH_CHECKS } from './baseline-ssh.js';
import { SYSTEM_CHECKS } from './baseline-system.js';
import type { Collector, CollectorContext } from './collector.js';
import { isNotFound } from './collector-errors.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const BASELINE_ID = 'os-baseline';

/** Every check, in report order. */
export const BASELINE_CHECKS: readonly BaselineCheckSpec[] = [
  ...SSH_CHECKS,
  ...ACCOUNT_CHECKS,
  ...SYSTEM_CHECKS,
];

/** Options for {@link createBaselineCollector}. */
export interface BaselineCollectorOptions {
  /** Report passed checks too (default true). */
  readonly reportPassed?: boolean;
  /** Check ids to skip (the micro agent's `Baseline_ChecksDisabled`, reference §2.8). */
  readonly disabledChecks?: readonly string[];
}

function createInput(context: CollectorContext): BaselineInput {
  const files = new Map<string, Promise<string>>();
  let sshd: Promise<SshdConfig | undefined> | undefined;
  return {
    context,
    file(path) {
      let text = files.get(path);
      if (text === undefined) {
        text = context.system.readFile(path);
        files.set(path, text);
      }
      return text;
    },
    sshd() {
      sshd ??= readSshdConfig(context.system).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      return sshd;
    },
  };
}

/** Runs one check; a throw becomes an `error` result naming the cause. */
export async function runCheck(check: BaselineCheckSpec, input: BaselineInput): Promise<BaselineCheck> {
  const base = {
    checkId: check.id,
    description: check.description,
    severity: check.severity,
    remediation: check.remediation,
  };
  try {
    const outcome = await check.run(input);
    if (outcome.result === 'error') return { ...base, result: 'error', error: outcome.error };
    return { ...base, result: outcome.result, extraDetails: { Evidence: outcome.evidence } };
  } catch (error) {
    return { ...base, result: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}

/** Creates the OS baseline collector. */
export function createBaselineCollector(options: BaselineCollectorOptions = {}): Collector {
  const disabled = new Set(options.disabledChecks ?? []);
  return {
    id: BASELINE_ID,
    platforms: ['linux'],
    priority: 'Low',
    description:
      'CIS-style checks (BASELINE.md) of sshd_config, /etc/passwd, /etc/shadow, /etc/group, /proc/sys, /tmp, world-writable system files and the firewall policy.',
    async collect(context) {
      const input = createInput(context);
      const checks: BaselineCheck[] = [];
      for (const check of BASELINE_CHECKS) {
        if (disabled.has(check.id)) continue;
        if (context.signal.aborted) {
          return {
            events: [],
            errors: [{ collectorId: BASELINE_ID, code: 'ABORTED', message: `stopped before ${check.id}` }],
          };
        }
        const result = await runCheck(check, input);
        if (result.result !== 'pass' || options.reportPassed !== false) checks.push(result);
      }
      const header = eventHeader(context, 'OSBaseline', 'Periodic');
      return { events: [{ ...header, kind: 'baseline', checks }], errors: [] };
    },
  };
}
