import { timingSafeEqual } from 'node:crypto';
import { ProtocolError, toProtocolError } from '../errors/index.js';
import { resourceCovers } from './resource-uri.js';
import { parseSasToken, signSas, type SasToken } from './sas-token.js';
import { decodeSymmetricKey } from './symmetric-key.js';

/** What {@link verifySasToken} checks a token against. Give `key` or `keys` (primary, then secondary). */
export interface VerifySasTokenOptions {
  readonly key?: string;
  /** Primary and optional secondary key; both are always tried, so timing does not reveal which matched. */
  readonly keys?: readonly [primary: string, secondary?: string];
  /** The unencoded resource being authenticated, from {@link deviceResourceUri}. */
  readonly expectedResourceUri: string;
  /** Current time, seconds since the epoch. */
  readonly now: number;
  /**
   * The policy whose keys are given. Absent means the keys are the identity's own, and a token that
   * carries `skn` is refused. When set, the token must name this policy and may cover a path prefix.
   */
  readonly policyName?: string;
  /** Seconds of clock skew tolerated after `se` (edgeHub allows 300). Default 0. */
  readonly clockSkewSeconds?: number;
}

/** The result of {@link verifySasToken}: an outcome, never a throw. */
export type SasVerification =
  | {
      readonly ok: true;
      readonly token: SasToken;
      /** Which key matched, for the audit record (reference/iothub-mqtt.md §1.3). */
      readonly matchedKey: 'primary' | 'secondary';
    }
  | { readonly ok: false; readonly error: ProtocolError };

function failure(
  code: 'SAS_TOKEN_EXPIRED' | 'SAS_RESOURCE_MISMATCH' | 'SAS_SIGNATURE_MISMATCH',
  message: string,
): SasVerification {
  return { ok: false, error: new ProtocolError(code, message) };
}

/**
 * Verifies a SAS token presented as an MQTT password. Checks, in order: shape (`MALFORMED_SAS_TOKEN`),
 * expiry (`SAS_TOKEN_EXPIRED`), resource (`SAS_RESOURCE_MISMATCH`), then the HMAC over `sr` and `se` exactly as
 * received (`SAS_SIGNATURE_MISMATCH`), compared in constant time. A bad configured key gives `INVALID_KEY`.
 */
export function verifySasToken(token: string, options: VerifySasTokenOptions): SasVerification {
  let parsed: SasToken;
  let keys: (Buffer | undefined)[];
  try {
    parsed = parseSasToken(token);
    const given: readonly (string | undefined)[] = options.keys ?? [options.key];
    keys = given.map((k, i) =>
      k === undefined || k === ''
        ? undefined
        : decodeSymmetricKey(k, i === 0 ? 'primary key' : 'secondary key'),
    );
    if (keys.every((k) => k === undefined)) {
      throw new ProtocolError('INVALID_KEY', 'no key to verify the SAS token with');
    }
  } catch (thrown) {
    return { ok: false, error: toProtocolError(thrown) };
  }
  const skew = options.clockSkewSeconds ?? 0;
  // Written so that a NaN `now` fails closed.
  if (!(options.now < parsed.expiresAt + skew)) {
    return failure(
      'SAS_TOKEN_EXPIRED',
      `SAS token expired at ${new Date(parsed.expiresAt * 1000).toISOString()}`,
    );
  }
  const isPolicy = options.policyName !== undefined;
  if (!resourceCovers(parsed.resourceUri, options.expectedResourceUri, isPolicy)) {
    return failure(
      'SAS_RESOURCE_MISMATCH',
      `SAS token is for "${parsed.resourceUri.slice(0, 200)}", not "${options.expectedResourceUri}"`,
    );
  }
  // `skn` is not signed, so it must agree with the kind of key we verify with; otherwise a device's own
  // token could be relabelled as a policy token.
  if (parsed.policyName !== options.policyName) {
    return failure(
      'SAS_SIGNATURE_MISMATCH',
      isPolicy
        ? `SAS token is not signed with policy "${options.policyName}"`
        : 'SAS token names a shared access policy; this identity authenticates with its own key',
    );
  }
  const presented = Buffer.from(parsed.signature, 'base64');
  const expected = (key: Buffer): Buffer => signSas(key, parsed.encodedResourceUri, parsed.encodedExpiry);
  // Every configured key is tried, so timing does not reveal which one matched.
  const matches = keys.map((key) => key !== undefined && timingSafeEqual(expected(key), presented));
  const index = matches.indexOf(true);
  if (index < 0) return failure('SAS_SIGNATURE_MISMATCH', 'SAS token signature matches no key');
  return { ok: true, token: parsed, matchedKey: index === 0 ? 'primary' : 'secondary' };
}
