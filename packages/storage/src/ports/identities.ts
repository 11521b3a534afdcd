import type { IdentityKey, IfMatch, Millis, Page } from './common.js';

/** How an identity authenticates (the three IoT Hub authentication types). */
export type IdentityAuth =
  | { readonly type: 'sas'; readonly primaryKey: string; readonly secondaryKey: string }
  | { readonly type: 'selfSigned'; readonly primaryThumbprint: string; readonly secondaryThumbprint: string }
  | { readonly type: 'certificateAuthority' };

/** Whether an identity may connect. */
export type IdentityStatus = 'enabled' | 'disabled';

/** Whether an identity has a live connection to a hub. */
export type ConnectionState = 'connected' | 'disconnected';

/** A device or module identity in the registry. Symmetric keys are decrypted on read. */
export interface Identity extends IdentityKey {
  readonly auth: IdentityAuth;
  readonly status: IdentityStatus;
  readonly statusReason: string | null;
  readonly etag: string;
  readonly connectionState: ConnectionState;
  readonly connectionStateUpdatedAt: Millis | null;
  readonly lastActivityAt: Millis | null;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
}

/** What a caller supplies to create an identity. */
export interface NewIdentity extends IdentityKey {
  readonly auth: IdentityAuth;
  readonly status?: IdentityStatus;
  readonly statusReason?: string | null;
}

/**
 * One identity's coalesced activity for {@link IdentityRepository.recordActivities}: the latest
 * activity time and, when the connection state changed, the new state and when it changed.
 */
export interface ActivityUpdate extends IdentityKey {
  readonly lastActivityAt: Millis;
  readonly connectionState?: ConnectionState;
  /** When `connectionState` changed; defaults to `lastActivityAt`. */
  readonly connectionStateAt?: Millis;
}

/** Fields an update may change; each changes the etag. */
export interface IdentityPatch {
  readonly auth?: IdentityAuth;
  readonly status?: IdentityStatus;
  readonly statusReason?: string | null;
}

/** The identity registry (devices and their modules). */
export interface IdentityRepository {
  /** Adds an identity; `ALREADY_EXISTS` when the key is taken, `NOT_FOUND` for a module of an unknown device. */
  create(identity: NewIdentity, now?: Millis): Promise<Identity>;
  get(key: IdentityKey): Promise<Identity | undefined>;
  /** Devices (and their modules) ordered by device id then module id, after the given key. */
  list(options?: Page & { readonly deviceId?: string; readonly after?: IdentityKey }): Promise<Identity[]>;
  /** Changes auth or status; `PRECONDITION_FAILED` on an etag mismatch, `NOT_FOUND` when absent. */
  update(
    key: IdentityKey,
    patch: IdentityPatch,
    options?: IfMatch & { readonly now?: Millis },
  ): Promise<Identity>;
  /** Removes an identity (a device takes its modules and twins with it); false when absent. */
  delete(key: IdentityKey, options?: IfMatch): Promise<boolean>;
  /** Records connection state and activity; does not change the etag (not a registry change). */
  recordActivity(
    key: IdentityKey,
    activity: { readonly at: Millis; readonly connectionState?: ConnectionState },
  ): Promise<void>;
  /**
   * Records many identities' activity in one transaction (one commit for a batch of connects);
   * unknown identities are skipped. Does not change etags.
   */
  recordActivities(updates: readonly ActivityUpdate[]): Promise<void>;
  /** Identities whose primary or secondary thumbprint is this one (X.509 auth, duplicate-credential checks). */
  findByThumbprint(thumbprint: string): Promise<Identity[]>;
}
