import {
  generateSymmetricKey,
  identityIdProblem,
  normaliseThumbprint,
  symmetricKeyProblem,
} from '@vigil/protocol';
import type { IdentityAuth } from '@vigil/storage';
import type { ServiceViolation } from './service-error.js';

/**
 * How a caller asks for an identity's authentication (reference/iothub-mqtt.md §5.1). SAS keys left
 * out are generated; a missing secondary thumbprint repeats the primary (IoT Hub requires both).
 */
export type AuthInput =
  | { readonly type: 'sas'; readonly primaryKey?: string; readonly secondaryKey?: string }
  | { readonly type: 'selfSigned'; readonly primaryThumbprint: string; readonly secondaryThumbprint?: string }
  | { readonly type: 'certificateAuthority' };

/** Checks a device (and module) id, adding violations at `path`. */
export function checkIds(
  key: { readonly deviceId: string; readonly moduleId?: string | null },
  violations: ServiceViolation[],
): void {
  const device = identityIdProblem(key.deviceId, 'device id');
  if (device !== undefined) violations.push({ path: 'deviceId', message: device });
  if (key.moduleId !== undefined && key.moduleId !== null) {
    const module = identityIdProblem(key.moduleId, 'module id');
    if (module !== undefined) violations.push({ path: 'moduleId', message: module });
  }
}

function key(value: string | undefined, path: string, violations: ServiceViolation[]): string {
  if (value === undefined) return generateSymmetricKey();
  const problem = symmetricKeyProblem(value);
  if (problem !== undefined) violations.push({ path, message: `key ${problem}` });
  return value;
}

function thumbprint(value: string, path: string, violations: ServiceViolation[]): string {
  try {
    return normaliseThumbprint(value);
  } catch (error) {
    violations.push({ path, message: error instanceof Error ? error.message : 'malformed thumbprint' });
    return value;
  }
}

/**
 * Resolves an {@link AuthInput} to what the registry stores (generating SAS keys), adding every
 * problem to `violations`. `undefined` means "SAS with generated keys", IoT Hub's default.
 */
export function resolveAuth(input: AuthInput | undefined, violations: ServiceViolation[]): IdentityAuth {
  const auth = input ?? { type: 'sas' };
  switch (auth.type) {
    case 'sas': {
      const primaryKey = key(auth.primaryKey, 'authentication.primaryKey', violations);
      const secondaryKey = key(auth.secondaryKey, 'authentication.secondaryKey', violations);
      return { type: 'sas', primaryKey, secondaryKey };
    }
    case 'selfSigned': {
      const primary = thumbprint(auth.primaryThumbprint, 'authentication.primaryThumbprint', violations);
      const secondary =
        auth.secondaryThumbprint === undefined
          ? primary
          : thumbprint(auth.secondaryThumbprint, 'authentication.secondaryThumbprint', violations);
      return { type: 'selfSigned', primaryThumbprint: primary, secondaryThumbprint: secondary };
    }
    case 'certificateAuthority':
      return { type: 'certificateAuthority' };
  }
}
