import type { AccessPolicy, HubSettings, Identity, Store } from '@vigil/storage';
import type { SessionIdentity } from '../contract/index.js';
import { identityKeyOf } from './client-identity.js';

/** Registry reads made at connect, coalesced and (optionally) cached briefly. */
export interface AuthLookups {
  identity(key: SessionIdentity): Promise<Identity | undefined>;
  settings(): Promise<HubSettings>;
  /** The shared access policy a token's `skn` names (cached like identities). */
  policy(name: string): Promise<AccessPolicy | undefined>;
  /** Forgets cached answers (after the registry or the settings changed). */
  forget(key?: SessionIdentity): void;
  /**
   * A number that changes on every {@link forget}: an authentication that started before a change
   * compares it to know its answers may be stale (a disabled identity must not connect after the
   * API call that disabled it returned).
   */
  generation(): number;
}

/** A read shared by everyone who asks while it is in flight, then reused for `ttl` ms. */
class SharedRead<T> {
  private settledAt: number | undefined;
  constructor(
    readonly value: Promise<T>,
    onFailure: () => void,
    now: () => number,
  ) {
    value.then(() => (this.settledAt = now()), onFailure);
  }
  usable(ttl: number, now: number): boolean {
    return this.settledAt === undefined || now - this.settledAt < ttl;
  }
}

/**
 * Connect-time lookups. Concurrent lookups of one identity share a query (a reconnect storm costs
 * one read per device), and an answer is reused for `identityCacheMs` (hub default 1 s; 0: never).
 * The registry and settings services of this hub call {@link AuthLookups.forget} after every change,
 * so a disabled, deleted or re-keyed identity is refused on its very next connect; the TTL only
 * bounds how long a change made by another process over the same database goes unseen.
 */
export function createAuthLookups(options: {
  readonly store: Pick<Store, 'identities' | 'hubSettings' | 'accessPolicies'>;
  readonly identityCacheMs: number;
  readonly settingsCacheMs: number;
  readonly now: () => number;
}): AuthLookups {
  const identities = new Map<string, SharedRead<Identity | undefined>>();
  const policies = new Map<string, SharedRead<AccessPolicy | undefined>>();
  let settings: SharedRead<HubSettings> | undefined;
  let generation = 0;
  return {
    identity(key) {
      const id = identityKeyOf(key);
      const cached = identities.get(id);
      if (cached?.usable(options.identityCacheMs, options.now()) === true) return cached.value;
      // Bounded: a flood of distinct unknown ids cannot grow the map past this.
      if (identities.size >= 10_000) identities.clear();
      const read: SharedRead<Identity | undefined> = new SharedRead(
        options.store.identities.get(key),
        () => identities.get(id) === read && identities.delete(id),
        options.now,
      );
      identities.set(id, read);
      return read.value;
    },
    policy(name) {
      const cached = policies.get(name);
      if (cached?.usable(options.identityCacheMs, options.now()) === true) return cached.value;
      // Bounded like identities: made-up policy names cannot grow the map.
      if (policies.size >= 1_000) policies.clear();
      const read: SharedRead<AccessPolicy | undefined> = new SharedRead(
        options.store.accessPolicies.get(name),
        () => policies.get(name) === read && policies.delete(name),
        options.now,
      );
      policies.set(name, read);
      return read.value;
    },
    settings() {
      if (settings?.usable(options.settingsCacheMs, options.now()) === true) return settings.value;
      const read: SharedRead<HubSettings> = new SharedRead(
        options.store.hubSettings.get(),
        () => {
          if (settings === read) settings = undefined;
        },
        options.now,
      );
      settings = read;
      return read.value;
    },
    forget(key) {
      generation++;
      if (key === undefined) identities.clear();
      else identities.delete(identityKeyOf(key));
      settings = undefined;
      // Policies are few and hub-wide: any registry or settings change forgets them all.
      policies.clear();
    },
    generation: () => generation,
  };
}
