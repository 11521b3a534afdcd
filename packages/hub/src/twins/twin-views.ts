import type { Identity, IdentityKey, JsonObject, Twin } from '@vigil/storage';

/** The twin a device GETs over MQTT: only desired and reported, each with `$version` (reference/iothub-mqtt.md §3.3). */
export function deviceTwinBody(twin: Twin | undefined): JsonObject {
  return {
    desired: { ...(twin?.desired ?? {}), $version: twin?.desiredVersion ?? 1 },
    reported: { ...(twin?.reported ?? {}), $version: twin?.reportedVersion ?? 1 },
  };
}

/**
 * The service-side twin document (reference/iothub-mqtt.md §4): identity fields, `etag`, `version`,
 * `tags` and `properties.{desired,reported}` with their `$version`s. `$metadata` is not kept.
 */
export interface TwinView {
  readonly deviceId: string;
  readonly moduleId: string | null;
  readonly etag: string;
  readonly version: number;
  readonly status: Identity['status'];
  readonly connectionState: Identity['connectionState'];
  readonly lastActivityTime: string | null;
  readonly authenticationType: Identity['auth']['type'];
  readonly tags: JsonObject;
  readonly properties: { readonly desired: JsonObject; readonly reported: JsonObject };
}

/**
 * Builds the {@link TwinView}. A twin never written has version 1 and the etag
 * {@link FRESH_TWIN_ETAG}, so a caller can still send it back as `If-Match`.
 */
export function twinView(key: IdentityKey, identity: Identity, twin: Twin | undefined): TwinView {
  return {
    deviceId: key.deviceId,
    moduleId: key.moduleId,
    etag: twin?.etag ?? FRESH_TWIN_ETAG,
    version: twin?.version ?? 1,
    status: identity.status,
    connectionState: identity.connectionState,
    lastActivityTime:
      identity.lastActivityAt === null ? null : new Date(identity.lastActivityAt).toISOString(),
    authenticationType: identity.auth.type,
    tags: twin?.tags ?? {},
    properties: {
      desired: { ...(twin?.desired ?? {}), $version: twin?.desiredVersion ?? 1 },
      reported: { ...(twin?.reported ?? {}), $version: twin?.reportedVersion ?? 1 },
    },
  };
}

/** The etag shown for a twin that was never written; `If-Match` with it means "still never written". */
export const FRESH_TWIN_ETAG = 'AAAAAAAAAAE=';
