import type { Identity, IdentityKey } from '@vigil/storage';

/** `deviceId` or `deviceId/moduleId`, as logs and messages name an identity. */
export function identityLabel(key: IdentityKey): string {
  return key.moduleId === null ? key.deviceId : `${key.deviceId}/${key.moduleId}`;
}

/**
 * An identity as the service API shows it, in IoT Hub's registry shape (reference/iothub-mqtt.md
 * §5.1): `authentication.type` plus `symmetricKey` or `x509Thumbprint`. Keys are left out when
 * `redactKeys` is set (a viewer's read).
 */
export interface IdentityView {
  readonly deviceId: string;
  readonly moduleId: string | null;
  readonly etag: string;
  readonly status: Identity['status'];
  readonly statusReason: string | null;
  readonly connectionState: Identity['connectionState'];
  readonly connectionStateUpdatedTime: string | null;
  readonly lastActivityTime: string | null;
  readonly createdTime: string;
  readonly updatedTime: string;
  readonly authentication: {
    readonly type: Identity['auth']['type'];
    readonly symmetricKey?: { readonly primaryKey: string; readonly secondaryKey: string };
    readonly x509Thumbprint?: { readonly primaryThumbprint: string; readonly secondaryThumbprint: string };
  };
}

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

/** Builds the {@link IdentityView} of a stored identity. */
export function identityView(
  identity: Identity,
  options: { readonly redactKeys?: boolean } = {},
): IdentityView {
  const { auth } = identity;
  let authentication: IdentityView['authentication'];
  switch (auth.type) {
    case 'sas':
      authentication = options.redactKeys
        ? { type: 'sas' }
        : { type: 'sas', symmetricKey: { primaryKey: auth.primaryKey, secondaryKey: auth.secondaryKey } };
      break;
    case 'selfSigned':
      authentication = {
        type: 'selfSigned',
        x509Thumbprint: {
          primaryThumbprint: auth.primaryThumbprint,
          secondaryThumbprint: auth.secondaryThumbprint,
        },
      };
      break;
    case 'certificateAuthority':
      authentication = { type: 'certificateAuthority' };
      break;
  }
  return {
    deviceId: identity.deviceId,
    moduleId: identity.moduleId,
    etag: identity.etag,
    status: identity.status,
    statusReason: identity.statusReason,
    connectionState: identity.connectionState,
    connectionStateUpdatedTime: iso(identity.connectionStateUpdatedAt),
    lastActivityTime: iso(identity.lastActivityAt),
    createdTime: new Date(identity.createdAt).toISOString(),
    updatedTime: new Date(identity.updatedAt).toISOString(),
    authentication,
  };
}
