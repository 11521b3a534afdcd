import type { RetryPolicy } from './types.js';

/** The retry policy with every default filled in. */
export interface ResolvedRetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Defaults of {@link RetryPolicy}: five attempts over roughly 7 s at most before jitter. */
export const DEFAULT_RETRY: ResolvedRetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Fills in a retry policy's defaults. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined): ResolvedRetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(policy?.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
    baseDelayMs: Math.max(0, policy?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: Math.max(0, policy?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
  };
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed: exponential, with "equal jitter"
 * (half fixed, half random). Jitter keeps many Vigil instances from retrying a recovering endpoint
 * in lockstep; keeping half of it fixed guarantees the waits still grow.
 */
export function backoffDelay(attempt: number, policy: ResolvedRetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Reads an HTTP `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a delay in
 * milliseconds; `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
