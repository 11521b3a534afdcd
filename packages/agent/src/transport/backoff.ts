/**
 * Reconnect delays: exponential, bounded, with jitter so that a fleet whose hub restarts does not
 * reconnect in lock step (the same reason the RTOS core randomizes its first collection,
 * reference/azure-security-module.md §1.3).
 */
import type { Random } from '../core/index.js';

/** How reconnect delays grow. */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** Ceiling of any delay. */
  readonly maxMs: number;
  /** Growth per failed attempt. */
  readonly factor: number;
  /** Fraction of the delay that is random (0: none, 1: anywhere from 0 to the delay). */
  readonly jitter: number;
}

/** 1 s, doubling, at most 60 s, half of it random. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  initialMs: 1_000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.5,
});

/**
 * The delay before retry number `attempt` (0 for the first retry): `min(max, initial × factor^attempt)`
 * less a random share of up to `jitter` of it. Always within `[(1 − jitter) × d, d]`, never above `maxMs`.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: Random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
  return Math.round(base * (1 - policy.jitter * random()));
}
