/**
 * Device and hub credentials (reference/iothub-mqtt.md §1.3–1.4): connection strings, SAS tokens generated and
 * verified exactly as the official SDKs make them, symmetric keys, and X.509 thumbprints. Pure functions over
 * `node:crypto`; the only randomness is {@link generateSymmetricKey}.
 */
export { parseConnectionString, formatConnectionString, type ConnectionString } from './connection-string.js';
export {
  MAX_SAS_TOKEN_LENGTH,
  generateSasToken,
  parseSasToken,
  type SasToken,
  type GenerateSasTokenOptions,
} from './sas-token.js';
export { verifySasToken, type VerifySasTokenOptions, type SasVerification } from './sas-verify.js';
export { deviceResourceUri, encodeSasComponent } from './resource-uri.js';
export {
  MIN_KEY_BYTES,
  MAX_KEY_BYTES,
  generateSymmetricKey,
  decodeSymmetricKey,
  symmetricKeyProblem,
} from './symmetric-key.js';
export {
  MAX_CERTIFICATE_SIZE,
  certificateThumbprints,
  normaliseThumbprint,
  thumbprintsEqual,
  matchThumbprint,
  type CertificateThumbprints,
  type RegisteredThumbprints,
} from './thumbprint.js';
