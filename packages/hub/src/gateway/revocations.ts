/**
 * Which identities lost their right to connect (disabled, deleted, re-keyed, policy removed) while
 * a connect was being authenticated. The registry answer an authentication used may be older than
 * the API call that revoked it, and the session is not yet findable by `channel.disconnect` until
 * Aedes registers it; comparing generations closes that window: a disabled device cannot connect
 * once the API call that disabled it has returned.
 */
import type { SessionIdentity } from '../contract/index.js';
import { identityKeyOf } from '../auth/index.js';

/** Revocation generations; `now()` is taken when an authentication starts. */
export class Revocations {
  private generation = 0;
  private readonly byKey = new Map<string, number>();
  /** When the per-identity map was last emptied: anything older counts as revoked (conservative). */
  private clearedAt = 0;
  private policiesAt = 0;

  constructor(private readonly maxTracked = 10_000) {}

  /** The current generation. */
  now(): number {
    return this.generation;
  }

  /** The identity was disabled, deleted or re-keyed. */
  revokeIdentity(identity: SessionIdentity): void {
    this.generation++;
    // Bounded: a flood of changes cannot grow it; forgetting errs towards "revoked".
    if (this.byKey.size >= this.maxTracked) {
      this.byKey.clear();
      this.clearedAt = this.generation;
    }
    this.byKey.set(identityKeyOf(identity), this.generation);
  }

  /** A shared access policy was removed or re-keyed. */
  revokePolicies(): void {
    this.generation++;
    this.policiesAt = this.generation;
  }

  /** True when a revocation that concerns this authentication happened after generation `since`. */
  revokedSince(identity: SessionIdentity, viaPolicy: boolean, since: number): boolean {
    if (this.clearedAt > since || (viaPolicy && this.policiesAt > since)) return true;
    return (this.byKey.get(identityKeyOf(identity)) ?? 0) > since;
  }
}
