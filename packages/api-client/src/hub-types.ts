/**
 * The hub service API's answers as they cross the wire (`/api/hub`, reference/iothub-mqtt.md §5),
 * kept here so the client needs nothing but `fetch`.
 */

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A device or module identity as the registry shows it (keys only to admins). */
export interface IdentityView {
  readonly deviceId: string;
  readonly moduleId: string | null;
  readonly etag: string;
  readonly status: 'enabled' | 'disabled';
  readonly statusReason: string | null;
  readonly connectionState: 'connected' | 'disconnected';
  readonly connectionStateUpdatedTime: string | null;
  readonly lastActivityTime: string | null;
  readonly createdTime: string;
  readonly updatedTime: string;
  readonly authentication:
    | {
        readonly type: 'sas';
        readonly symmetricKey?: { readonly primaryKey: string; readonly secondaryKey: string };
      }
    | {
        readonly type: 'selfSigned';
        readonly x509Thumbprint: { readonly primaryThumbprint: string; readonly secondaryThumbprint: string };
      }
    | { readonly type: 'certificateAuthority' };
}

/** What a new identity is created with; SAS keys are generated when none are given. */
export interface NewIdentityInput {
  readonly authentication?:
    | {
        readonly type: 'sas';
        readonly symmetricKey?: { readonly primaryKey?: string; readonly secondaryKey?: string };
      }
    | {
        readonly type: 'selfSigned';
        readonly x509Thumbprint: {
          readonly primaryThumbprint: string;
          readonly secondaryThumbprint?: string;
        };
      }
    | { readonly type: 'certificateAuthority' };
  readonly status?: 'enabled' | 'disabled';
  readonly statusReason?: string | null;
}

/** What an identity update may change: status, its reason, credentials. */
export type UpdateIdentityInput = NewIdentityInput;

/** One page of devices; `next` is the `after` of the following page, null at the end. */
export interface DevicePage {
  readonly items: readonly IdentityView[];
  readonly next: string | null;
}

/** A device or module twin. */
export interface TwinView {
  readonly deviceId: string;
  readonly moduleId: string | null;
  readonly etag: string;
  readonly version: number;
  readonly status: 'enabled' | 'disabled';
  readonly connectionState: 'connected' | 'disconnected';
  readonly lastActivityTime: string | null;
  readonly authenticationType: string;
  readonly tags: { readonly [key: string]: Json };
  readonly properties: {
    readonly desired: { readonly [key: string]: Json };
    readonly reported: { readonly [key: string]: Json };
  };
}

/** A twin change: tags and/or desired properties, merged (null removes a key). */
export interface TwinPatch {
  readonly tags?: { readonly [key: string]: Json };
  readonly properties?: { readonly desired?: { readonly [key: string]: Json } };
}

/** A direct method call. */
export interface MethodCall {
  readonly methodName: string;
  readonly payload?: Json;
  /** 5–3600 s, 30 by default. */
  readonly responseTimeoutInSeconds?: number;
  /** 0–300 s: how long to wait for the device to come online, 0 by default. */
  readonly connectTimeoutInSeconds?: number;
}

/** The device's answer to a direct method. */
export interface MethodResult {
  readonly status: number;
  readonly payload: Json;
}

/** Names a device, or one of its modules. */
export interface IdentityRef {
  readonly deviceId: string;
  readonly moduleId?: string;
}
