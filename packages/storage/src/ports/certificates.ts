import type { IfMatch, Millis } from './common.js';

/** A CA certificate registered at the hub for X.509 CA authentication. */
export interface CaCertificate {
  readonly name: string;
  readonly pem: string;
  readonly thumbprint: string;
  /** True once proof of possession was shown; only verified CAs authenticate devices. */
  readonly isVerified: boolean;
  readonly etag: string;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
}

/** The hub's CA certificates. */
export interface CertificateRepository {
  /** `ALREADY_EXISTS` when the name is taken. */
  add(
    certificate: { readonly name: string; readonly pem: string; readonly thumbprint: string },
    now?: Millis,
  ): Promise<CaCertificate>;
  get(name: string): Promise<CaCertificate | undefined>;
  list(): Promise<CaCertificate[]>;
  /** Marks the certificate verified (or not); `PRECONDITION_FAILED` on an etag mismatch. */
  setVerified(
    name: string,
    isVerified: boolean,
    options?: IfMatch & { readonly now?: Millis },
  ): Promise<CaCertificate>;
  /** False when absent; `PRECONDITION_FAILED` on an etag mismatch. */
  delete(name: string, options?: IfMatch): Promise<boolean>;
}
