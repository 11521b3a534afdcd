/**
 * Device authentication at CONNECT (reference/iothub-mqtt.md §1): client id and username parsing,
 * SAS tokens, X.509 self-signed and CA chains, the IP filter, and registry lookups.
 */
export {
  parseClientId,
  parseUsername,
  identityKeyOf,
  bareHost,
  sameIdentity,
  type ParsedUsername,
} from './client-identity.js';
export { evaluateIpFilter, normaliseAddress, type IpFilterVerdict } from './ip-filter.js';
export { createAuthLookups, type AuthLookups } from './lookups.js';
export { policyNameOf, verifyDeviceSas, type SasOutcome } from './sas.js';
export { verifyClientCertificate, type X509Outcome } from './x509.js';
export {
  createAuthenticator,
  REFUSAL_CODES,
  type Authenticator,
  type AuthMethod,
  type AuthOutcome,
  type ConnectAttempt,
  type RefusalCode,
} from './authenticator.js';
