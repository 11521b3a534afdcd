import { deviceResourceUri, parseSasToken, verifySasToken, type ProtocolError } from '@vigil/protocol';
import type { AuthFailureReason, SessionIdentity } from '../contract/index.js';
import { bareHost } from './client-identity.js';

/** The outcome of checking a SAS token presented as the MQTT password. */
export type SasOutcome =
  | { readonly ok: true; readonly matched: 'primary' | 'secondary'; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly message: string };

const REASON_BY_CODE: Partial<Record<ProtocolError['code'], AuthFailureReason>> = {
  MALFORMED_SAS_TOKEN: 'sasMalformed',
  SAS_TOKEN_EXPIRED: 'sasExpired',
  SAS_RESOURCE_MISMATCH: 'sasResourceMismatch',
  SAS_SIGNATURE_MISMATCH: 'sasSignatureMismatch',
};

/**
 * Verifies a device or module SAS token (reference/iothub-mqtt.md §1.3) with the protocol package,
 * signed with the identity's own keys or, with `policyName`, a shared access policy's (whose token
 * may name a prefix such as `{host}/devices`):
 * the resource must name this identity at one of the hub's host names, with or without the `:port`
 * the SDK carries over from `HostName=host:port` (§0 item 10); the signature must match the primary
 * or secondary key (constant time); expiry allows the configured clock skew.
 */
export function verifyDeviceSas(options: {
  readonly password: string;
  readonly identity: SessionIdentity;
  readonly keys: readonly [string, string];
  readonly hostNames: readonly string[];
  readonly nowSeconds: number;
  readonly clockSkewSeconds: number;
  /** Set when `keys` are a shared access policy's: the token must carry this `skn`. */
  readonly policyName?: string;
}): SasOutcome {
  let tokenHost: string;
  try {
    const resource = parseSasToken(options.password).resourceUri.replace(/^[a-z]+:\/\//i, '');
    tokenHost = resource.split('/')[0] ?? '';
  } catch (error) {
    return { ok: false, reason: 'sasMalformed', message: (error as Error).message };
  }
  const known = options.hostNames.map((h) => h.toLowerCase());
  // The token's own host (port included) is what was signed; it must be one of ours.
  const host = known.includes(bareHost(tokenHost)) ? tokenHost : (options.hostNames[0] ?? '');
  const verification = verifySasToken(options.password, {
    keys: [options.keys[0], options.keys[1]],
    expectedResourceUri: deviceResourceUri(
      host,
      options.identity.deviceId,
      options.identity.moduleId ?? undefined,
    ),
    now: options.nowSeconds,
    clockSkewSeconds: options.clockSkewSeconds,
    ...(options.policyName === undefined ? {} : { policyName: options.policyName }),
  });
  if (verification.ok) {
    return { ok: true, matched: verification.matchedKey, expiresAt: verification.token.expiresAt };
  }
  return {
    ok: false,
    reason: REASON_BY_CODE[verification.error.code] ?? 'sasSignatureMismatch',
    message: verification.error.message,
  };
}

/**
 * The shared access policy a SAS token names in `skn` (reference/iothub-mqtt.md §1.3), or undefined
 * for a device's own token and for a token too malformed to say (verification then reports why).
 */
export function policyNameOf(password: string): string | undefined {
  try {
    return parseSasToken(password).policyName;
  } catch {
    return undefined;
  }
}
