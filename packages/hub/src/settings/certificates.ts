import { randomBytes, X509Certificate } from 'node:crypto';
import { certificateThumbprints } from '@vigil/protocol';
import type { CaCertificate } from '@vigil/storage';
import {
  recordOperation,
  ServiceError,
  toServiceError,
  validationFailed,
  type ServiceContext,
} from '../registry/index.js';

/** How long a proof-of-possession verification code stays usable (one hour). */
export const VERIFICATION_CODE_TTL_MS = 60 * 60 * 1000;

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The hub's CA certificates: add, delete, and proof of possession (reference/iothub-mqtt.md §1.4, §5.3). */
export interface CertificateSettings {
  list(): Promise<CaCertificate[]>;
  /** `NOT_FOUND` when absent. */
  get(name: string): Promise<CaCertificate>;
  /**
   * Adds a CA certificate from PEM (thumbprint computed). `isVerified` marks it verified at upload,
   * as IoT Hub allows; otherwise prove possession with {@link generateVerificationCode} and {@link verify}.
   */
  add(input: {
    readonly name: string;
    readonly pem: string;
    readonly isVerified?: boolean;
  }): Promise<CaCertificate>;
  /** Deletes under an optional etag; failures are recorded as `certificateDeleteFailed`. */
  delete(name: string, options?: { readonly ifMatch?: string }): Promise<void>;
  /** A fresh code the owner must put in the CN of a certificate signed by the CA. */
  generateVerificationCode(
    name: string,
  ): Promise<{ readonly name: string; readonly verificationCode: string; readonly etag: string }>;
  /** Accepts a leaf certificate with `CN={code}` signed by the CA and marks the CA verified. */
  verify(name: string, input: { readonly pem: string; readonly ifMatch?: string }): Promise<CaCertificate>;
}

function commonNames(certificate: X509Certificate): string[] {
  return certificate.subject
    .split('\n')
    .filter((part) => part.startsWith('CN='))
    .map((part) => part.slice(3));
}

/** Builds {@link CertificateSettings} over `store.certificates`. Verification codes live in memory. */
export function createCertificateSettings(
  context: ServiceContext,
  onChange: () => void,
): CertificateSettings {
  const { store } = context;
  const codes = new Map<string, { code: string; expiresAt: number }>();

  const record = (
    operation:
      | 'certificateAdded'
      | 'certificateAddFailed'
      | 'certificateDeleted'
      | 'certificateDeleteFailed'
      | 'certificateVerified',
    name: string,
    details: Record<string, string | boolean>,
    failure?: string,
  ): void =>
    recordOperation(context, {
      operation,
      outcome: failure === undefined ? 'success' : 'failure',
      ...(failure === undefined ? {} : { reason: failure }),
      details: { name: name.slice(0, 128), ...details },
    });

  const get = async (name: string): Promise<CaCertificate> => {
    const found = await store.certificates.get(name);
    if (found === undefined) throw new ServiceError('NOT_FOUND', `certificate ${name} does not exist`);
    return found;
  };

  const verifyFailed = (name: string, reason: string, message: string): ServiceError => {
    record('certificateVerified', name, { message }, reason);
    return validationFailed([{ path: 'pem', message }]);
  };

  return {
    list: () => store.certificates.list(),
    get,
    async add(input) {
      const violations = [];
      if (!NAME.test(input.name))
        violations.push({ path: 'name', message: 'must be 1–128 letters, digits, "_", "." or "-"' });
      let thumbprint = '';
      let parsed: X509Certificate | undefined;
      try {
        thumbprint = certificateThumbprints(input.pem).sha1;
        parsed = new X509Certificate(input.pem);
      } catch (error) {
        violations.push({
          path: 'pem',
          message: error instanceof Error ? error.message : 'not a certificate',
        });
      }
      if (parsed !== undefined && !parsed.ca)
        violations.push({ path: 'pem', message: 'is not a CA certificate (basicConstraints CA:TRUE)' });
      if (violations.length > 0) {
        record(
          'certificateAddFailed',
          input.name,
          { message: violations.map((v) => v.message).join('; ') },
          'invalidCertificate',
        );
        throw validationFailed(violations);
      }
      try {
        let added = await store.certificates.add(
          { name: input.name, pem: input.pem, thumbprint },
          context.now(),
        );
        if (input.isVerified === true)
          added = await store.certificates.setVerified(input.name, true, { now: context.now() });
        record('certificateAdded', input.name, { thumbprint, isVerified: added.isVerified });
        onChange();
        return added;
      } catch (error) {
        const mapped = toServiceError(error);
        record(
          'certificateAddFailed',
          input.name,
          { message: mapped.message },
          mapped.code === 'CONFLICT' ? 'alreadyExists' : 'storeFailed',
        );
        throw mapped.code === 'CONFLICT'
          ? new ServiceError('CONFLICT', `certificate ${input.name} already exists`)
          : mapped;
      }
    },
    async delete(name, options = {}) {
      let removed: boolean;
      try {
        removed = await store.certificates.delete(
          name,
          options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch },
        );
      } catch (error) {
        const mapped = toServiceError(error);
        record(
          'certificateDeleteFailed',
          name,
          { message: mapped.message },
          mapped.code === 'PRECONDITION_FAILED' ? 'etagMismatch' : 'storeFailed',
        );
        throw mapped;
      }
      if (!removed) {
        record('certificateDeleteFailed', name, {}, 'notFound');
        throw new ServiceError('NOT_FOUND', `certificate ${name} does not exist`);
      }
      codes.delete(name);
      record('certificateDeleted', name, {});
      onChange();
    },
    async generateVerificationCode(name) {
      const certificate = await get(name);
      const code = randomBytes(24).toString('hex').toUpperCase();
      codes.set(name, { code, expiresAt: context.now() + VERIFICATION_CODE_TTL_MS });
      return { name, verificationCode: code, etag: certificate.etag };
    },
    async verify(name, input) {
      const certificate = await get(name);
      const pending = codes.get(name);
      if (pending === undefined || pending.expiresAt <= context.now()) {
        throw verifyFailed(
          name,
          'noVerificationCode',
          'generate a verification code first (codes last one hour)',
        );
      }
      let leaf: X509Certificate;
      try {
        leaf = new X509Certificate(input.pem);
      } catch {
        throw verifyFailed(name, 'malformedCertificate', 'the verification certificate cannot be parsed');
      }
      if (!commonNames(leaf).includes(pending.code)) {
        throw verifyFailed(
          name,
          'verificationCodeMismatch',
          'the certificate subject CN is not the verification code',
        );
      }
      if (!leaf.verify(new X509Certificate(certificate.pem).publicKey)) {
        throw verifyFailed(name, 'notSignedByCa', `the certificate is not signed by CA ${name}`);
      }
      const now = context.now();
      if (Date.parse(leaf.validFrom) > now || Date.parse(leaf.validTo) < now) {
        throw verifyFailed(
          name,
          'certificateExpired',
          'the verification certificate is outside its validity period',
        );
      }
      const verified = await store.certificates
        .setVerified(name, true, { now, ...(input.ifMatch === undefined ? {} : { ifMatch: input.ifMatch }) })
        .catch((error: unknown) => {
          throw toServiceError(error);
        });
      codes.delete(name);
      record('certificateVerified', name, { thumbprint: certificate.thumbprint });
      onChange();
      return verified;
    },
  };
}
