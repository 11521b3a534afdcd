import type { IfMatch, Millis, Page } from './common.js';

/**
 * The rights an IoT Hub shared access policy grants, spelled as IoT Hub spells them. Only
 * `DeviceConnect` lets a token connect as a device; the others are kept for compatibility.
 */
export const ACCESS_RIGHTS = ['RegistryRead', 'RegistryWrite', 'ServiceConnect', 'DeviceConnect'] as const;

/** One of {@link ACCESS_RIGHTS}. */
export type AccessRight = (typeof ACCESS_RIGHTS)[number];

/** A hub-level shared access policy (a SAS token names it in `skn`). Keys are decrypted on read. */
export interface AccessPolicy {
  readonly name: string;
  /** Distinct rights in {@link ACCESS_RIGHTS} order. */
  readonly rights: readonly AccessRight[];
  readonly primaryKey: string;
  readonly secondaryKey: string;
  readonly etag: string;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
}

/** What a caller supplies to create a policy. */
export interface NewAccessPolicy {
  readonly name: string;
  readonly rights: readonly AccessRight[];
  readonly primaryKey: string;
  readonly secondaryKey: string;
}

/** Fields an update may change; each update changes the etag. */
export interface AccessPolicyPatch {
  readonly rights?: readonly AccessRight[];
  readonly primaryKey?: string;
  readonly secondaryKey?: string;
}

/** The hub's shared access policies, keyed by name. */
export interface AccessPolicyRepository {
  /** Adds a policy; `ALREADY_EXISTS` when the name is taken, `LIMIT_EXCEEDED` for a bad name, right or key. */
  create(policy: NewAccessPolicy, now?: Millis): Promise<AccessPolicy>;
  get(name: string): Promise<AccessPolicy | undefined>;
  /** Policies in name order, after the given name. */
  list(options?: Page & { readonly after?: string }): Promise<AccessPolicy[]>;
  /** Changes rights or keys; `PRECONDITION_FAILED` on an etag mismatch, `NOT_FOUND` when absent. */
  update(
    name: string,
    patch: AccessPolicyPatch,
    options?: IfMatch & { readonly now?: Millis },
  ): Promise<AccessPolicy>;
  /** Removes a policy; false when absent, `PRECONDITION_FAILED` on an etag mismatch. */
  delete(name: string, options?: IfMatch): Promise<boolean>;
}
