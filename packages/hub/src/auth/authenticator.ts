import type { CaCertificate, Store } from '@vigil/storage';
import type { AuthFailureReason, SessionIdentity, SessionProtocol } from '../contract/index.js';
import { parseClientId, parseUsername, sameIdentity } from './client-identity.js';
import { evaluateIpFilter } from './ip-filter.js';
import type { AuthLookups } from './lookups.js';
import { policyNameOf, verifyDeviceSas } from './sas.js';
import { verifyClientCertificate } from './x509.js';

/** What the transport knows about a connection when its CONNECT arrives. */
export interface ConnectAttempt {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: Buffer | undefined;
  readonly protocol: SessionProtocol;
  readonly remoteAddress: string;
  /** The client certificate chain from the TLS handshake, leaf first (DER); empty when none. */
  readonly certificateChain: readonly Buffer[];
}

/** How a session proved its identity (recorded with the connect operation). */
export type AuthMethod = 'sas' | 'sasPolicy' | 'x509SelfSigned' | 'x509Ca';

/** MQTT 3.1.1 CONNACK refusal codes the hub uses; never 3, which the SDKs retry (§0 item 11). */
export type RefusalCode = 2 | 4 | 5;

/** The outcome of authenticating one CONNECT. */
export type AuthOutcome =
  | {
      readonly ok: true;
      readonly identity: SessionIdentity;
      readonly method: AuthMethod;
      /** `primary`/`secondary` key or thumbprint, `{policy}/primary` for a policy token, or the CA's name. */
      readonly matched: string;
      /** SAS expiry (seconds since the epoch); IoT Hub drops the connection then. */
      readonly expiresAt: number | null;
    }
  | {
      readonly ok: false;
      readonly reason: AuthFailureReason;
      readonly returnCode: RefusalCode;
      readonly message: string;
      /** The identity the attempt named, when it named one. */
      readonly identity: SessionIdentity | null;
    };

/**
 * CONNACK code per failure. IoT Hub answers "not authorized" (5) for an unknown or disabled
 * identity and an IP-filtered address (reference/iothub-mqtt.md §1.5), "identifier rejected" (2)
 * for a client id that is not an identity, and "bad user name or password" (4) for a credential
 * that does not verify. The Node SDK treats 2, 4 and 5 alike: a non-retryable UnauthorizedError.
 */
export const REFUSAL_CODES: Readonly<Record<AuthFailureReason, RefusalCode>> = Object.freeze({
  unknownIdentity: 5,
  identityDisabled: 5,
  ipFiltered: 5,
  clientIdMismatch: 2,
  usernameMismatch: 4,
  sasExpired: 4,
  sasSignatureMismatch: 4,
  sasMalformed: 4,
  sasResourceMismatch: 4,
  thumbprintMismatch: 4,
  certificateExpired: 4,
  certificateUntrusted: 4,
  noCredential: 4,
  // A policy that does not exist is a credential that does not verify; a verified policy that lacks
  // the right is "not authorized", like a disabled identity.
  unknownPolicy: 4,
  policyLacksDeviceConnect: 5,
});

/** Authenticates CONNECT attempts against the registry, the CA certificates and the IP filter. */
export interface Authenticator {
  authenticate(attempt: ConnectAttempt): Promise<AuthOutcome>;
}

/** Builds the {@link Authenticator}; see each check's comment for the rule it follows. */
export function createAuthenticator(options: {
  readonly lookups: AuthLookups;
  readonly certificates: Pick<Store['certificates'], 'list'>;
  readonly hostNames: readonly string[];
  readonly clockSkewSeconds: number;
  readonly now: () => number;
}): Authenticator {
  const refuse = (
    reason: AuthFailureReason,
    message: string,
    identity: SessionIdentity | null,
  ): AuthOutcome => ({ ok: false, reason, returnCode: REFUSAL_CODES[reason], message, identity });

  return {
    async authenticate(attempt) {
      const claimed = parseClientId(attempt.clientId);
      // The IP filter applies before anything else, as IoT Hub rejects at the network edge.
      const settings = await options.lookups.settings();
      const verdict = evaluateIpFilter(settings.ipFilter, attempt.remoteAddress);
      if (verdict.action === 'reject') {
        const by = verdict.rule === null ? 'the default action' : `rule "${verdict.rule}"`;
        return refuse('ipFiltered', `address ${attempt.remoteAddress} is rejected by ${by}`, claimed ?? null);
      }
      if (claimed === undefined) {
        return refuse('clientIdMismatch', 'client id is not {deviceId} or {deviceId}/{moduleId}', null);
      }
      // The identity comes from the credential; client id and username must agree with it (DESIGN.md).
      const username = parseUsername(attempt.username);
      if (username === undefined || !sameIdentity(username.identity, claimed)) {
        return refuse(
          username === undefined ? 'usernameMismatch' : 'clientIdMismatch',
          username === undefined
            ? 'username is not {host}/{deviceId}[/{moduleId}]/?api-version=…'
            : 'client id and username name different identities',
          claimed,
        );
      }
      const identity = await options.lookups.identity(claimed);
      if (identity === undefined)
        return refuse('unknownIdentity', 'no such identity in the registry', claimed);
      if (identity.status === 'disabled')
        return refuse('identityDisabled', 'the identity is disabled', claimed);
      const password = attempt.password === undefined ? '' : attempt.password.toString('utf8');
      const policyName = password === '' ? undefined : policyNameOf(password);
      if (policyName !== undefined) {
        // A hub-level policy token (reference/iothub-mqtt.md §1.3): any kind of identity may connect
        // with it, but the identity still comes from client id and username and must be enabled.
        const shown = JSON.stringify(policyName.slice(0, 64));
        const policy = await options.lookups.policy(policyName);
        if (policy === undefined) {
          return refuse('unknownPolicy', `no shared access policy ${shown}`, claimed);
        }
        const sas = verifyDeviceSas({
          password,
          identity: claimed,
          keys: [policy.primaryKey, policy.secondaryKey],
          hostNames: options.hostNames,
          nowSeconds: Math.floor(options.now() / 1000),
          clockSkewSeconds: options.clockSkewSeconds,
          policyName: policy.name,
        });
        if (!sas.ok) return refuse(sas.reason, `${sas.message} (policy ${shown})`, claimed);
        // Checked after the signature, so only a holder of the key learns what the policy grants.
        if (!policy.rights.includes('DeviceConnect')) {
          return refuse(
            'policyLacksDeviceConnect',
            `shared access policy ${shown} does not grant DeviceConnect`,
            claimed,
          );
        }
        return {
          ok: true,
          identity: claimed,
          method: 'sasPolicy',
          matched: `${policy.name}/${sas.matched}`,
          expiresAt: sas.expiresAt,
        };
      }
      if (password !== '') {
        if (identity.auth.type !== 'sas') {
          return refuse(
            'noCredential',
            `identity authenticates with ${identity.auth.type}, not SAS`,
            claimed,
          );
        }
        const sas = verifyDeviceSas({
          password,
          identity: claimed,
          keys: [identity.auth.primaryKey, identity.auth.secondaryKey],
          hostNames: options.hostNames,
          nowSeconds: Math.floor(options.now() / 1000),
          clockSkewSeconds: options.clockSkewSeconds,
        });
        if (!sas.ok) return refuse(sas.reason, sas.message, claimed);
        return { ok: true, identity: claimed, method: 'sas', matched: sas.matched, expiresAt: sas.expiresAt };
      }
      if (identity.auth.type === 'sas') {
        return refuse('noCredential', 'no SAS token was given as the password', claimed);
      }
      const authorities: CaCertificate[] =
        identity.auth.type === 'certificateAuthority' ? await options.certificates.list() : [];
      const x509 = verifyClientCertificate({
        chain: attempt.certificateChain,
        auth: identity.auth,
        identity: claimed,
        authorities,
        now: options.now(),
      });
      if (!x509.ok) return refuse(x509.reason, x509.message, claimed);
      return {
        ok: true,
        identity: claimed,
        method: x509.matched === 'ca' ? 'x509Ca' : 'x509SelfSigned',
        matched: x509.matched === 'ca' ? x509.detail : x509.matched,
        expiresAt: null,
      };
    },
  };
}
