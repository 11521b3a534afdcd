import type { IdentityKey, IfMatch, JsonObject, Millis } from './common.js';

/** A device or module twin with IoT Hub's versions. */
export interface Twin extends IdentityKey {
  readonly tags: JsonObject;
  readonly desired: JsonObject;
  readonly reported: JsonObject;
  /** `properties.desired.$version`. */
  readonly desiredVersion: number;
  /** `properties.reported.$version`. */
  readonly reportedVersion: number;
  /** The twin's overall `version`, bumped by every change. */
  readonly version: number;
  readonly etag: string;
  readonly updatedAt: Millis;
}

/** Twins. Patches follow JSON merge-patch as IoT Hub applies it: `null` removes a property. */
export interface TwinRepository {
  /** The twin, or undefined when nothing was ever written for this identity. */
  get(key: IdentityKey): Promise<Twin | undefined>;
  /** Merges into desired properties and bumps `desiredVersion`; `PRECONDITION_FAILED` on an etag mismatch. */
  patchDesired(
    key: IdentityKey,
    patch: JsonObject,
    options?: IfMatch & { readonly now?: Millis },
  ): Promise<Twin>;
  /** Merges into reported properties and bumps `reportedVersion` (devices send no etag). */
  patchReported(key: IdentityKey, patch: JsonObject, options?: { readonly now?: Millis }): Promise<Twin>;
  /** Merges into tags; `PRECONDITION_FAILED` on an etag mismatch. */
  patchTags(
    key: IdentityKey,
    patch: JsonObject,
    options?: IfMatch & { readonly now?: Millis },
  ): Promise<Twin>;
  /** Identities whose tag `name` equals `value` (e.g. the `SecurityGroup` tag of security module twins). */
  findByTag(name: string, value: string, limit?: number): Promise<Twin[]>;
}
