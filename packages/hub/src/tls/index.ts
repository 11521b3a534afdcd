/** The hub's TLS material (generated private CA and server certificate) and certificate issuing. */
export {
  issueCertificate,
  type CertificateAndKey,
  type IssueCertificateOptions,
} from './issue-certificate.js';
export { loadOrCreateTlsMaterial, TLS_FILES, type TlsMaterial } from './tls-material.js';
