/**
 * The hub's CA certificates with proof of possession (`/api/hub/certificates`,
 * reference/iothub-mqtt.md §5.3).
 */
import { HUB, ifMatchHeader, type Requester } from './request.js';

/** A CA certificate registered with the hub (IoT Hub's certificate description fields). */
export interface CaCertificateView {
  readonly name: string;
  readonly thumbprint: string;
  readonly isVerified: boolean;
  readonly etag: string;
  /** ISO-8601. */
  readonly created: string;
  readonly updated: string;
  /** PEM. */
  readonly certificate: string;
}

/** A proof-of-possession code: sign a leaf with `CN={verificationCode}` by the CA (valid one hour). */
export interface VerificationCode {
  readonly name: string;
  readonly verificationCode: string;
  readonly etag: string;
}

const path = (name: string): string => `${HUB}/certificates/${encodeURIComponent(name)}`;

/** CA certificates: add, prove possession, delete. Changes need an admin token. */
export class CertificatesApi {
  readonly #request: Requester;

  constructor(request: Requester) {
    this.#request = request;
  }

  /** Every CA certificate. */
  async list(): Promise<readonly CaCertificateView[]> {
    return (
      await this.#request<{ readonly items: readonly CaCertificateView[] }>('GET', `${HUB}/certificates`)
    ).items;
  }

  /** One certificate; `NOT_FOUND` when absent. */
  get(name: string): Promise<CaCertificateView> {
    return this.#request('GET', path(name));
  }

  /** Adds a CA certificate (PEM); `CONFLICT` when the name is taken. Unverified unless `isVerified`. */
  add(
    name: string,
    pem: string,
    options: { readonly isVerified?: boolean } = {},
  ): Promise<CaCertificateView> {
    return this.#request('PUT', path(name), {
      certificate: pem,
      ...(options.isVerified === undefined ? {} : { isVerified: options.isVerified }),
    });
  }

  /** Deletes a certificate; `PRECONDITION_FAILED` on a stale `ifMatch`. */
  delete(name: string, ifMatch?: string): Promise<void> {
    return this.#request('DELETE', path(name), undefined, ifMatchHeader(ifMatch));
  }

  /** A fresh proof-of-possession code for the certificate. */
  verificationCode(name: string): Promise<VerificationCode> {
    return this.#request('POST', `${path(name)}/verification-code`);
  }

  /** Verifies the CA with a leaf (PEM) whose CN is the code and which the CA signed. */
  verify(name: string, pem: string, ifMatch?: string): Promise<CaCertificateView> {
    return this.#request('POST', `${path(name)}/verify`, { certificate: pem }, ifMatchHeader(ifMatch));
  }
}
