/**
 * The shape of one OS baseline check, and what checks may read. The catalogue is in BASELINE.md.
 */
import type { BaselineSeverity } from '@vigil/protocol';
import type { SshdConfig } from '../linux/index.js';
import type { CollectorContext } from './collector.js';

/** What a check found: pass/fail with the evidence, or why it could not tell. */
export type CheckOutcome =
  | { readonly result: 'pass' | 'fail'; readonly evidence: string }
  | { readonly result: 'error'; readonly error: string };

/** Shared, memoised readings, so checks that look at the same file read it once per run. */
export interface BaselineInput {
  readonly context: CollectorContext;
  /** sshd's global settings; undefined when no SSH server is configured on this machine. */
  sshd(): Promise<SshdConfig | undefined>;
  /** Text of a file, read once per run. */
  file(path: string): Promise<string>;
}

/** One check of the catalogue. */
export interface BaselineCheckSpec {
  /** Stable id sent as `CceId` (`VIGIL-LNX-SSH-01`). */
  readonly id: string;
  readonly severity: BaselineSeverity;
  /** What is checked, in one sentence. */
  readonly description: string;
  /** What to do when it fails. */
  readonly remediation: string;
  run(input: BaselineInput): Promise<CheckOutcome>;
}

/** Pass when `ok`, else fail; the evidence says what was seen either way. */
export function verdict(ok: boolean, evidence: string): CheckOutcome {
  return { result: ok ? 'pass' : 'fail', evidence };
}

/** `0o640` as `0640`, for evidence. */
export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}
