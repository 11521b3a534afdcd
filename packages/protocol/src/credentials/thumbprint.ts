import { X509Certificate, createHash, timingSafeEqual } from 'node:crypto';
import { ProtocolError } from '../errors/index.js';

/** A certificate's thumbprints as IoT Hub displays them: upper-case hex, no separators. */
export interface CertificateThumbprints {
  /** SHA-1 of the DER encoding (40 hex digits), what IoT Hub historically stored. */
  readonly sha1: string;
  /** SHA-256 of the DER encoding (64 hex digits), what newer tools store. */
  readonly sha256: string;
}

/** Largest certificate input Vigil reads (bytes or characters). */
export const MAX_CERTIFICATE_SIZE = 64 * 1024;

/**
 * Thumbprints of an X.509 certificate given as PEM text or DER bytes (the first certificate of a PEM bundle).
 * Throws `MALFORMED_CERTIFICATE` when it does not parse.
 */
export function certificateThumbprints(pemOrDer: string | Uint8Array): CertificateThumbprints {
  if (pemOrDer.length > MAX_CERTIFICATE_SIZE) {
    throw new ProtocolError(
      'MALFORMED_CERTIFICATE',
      `certificate is larger than ${MAX_CERTIFICATE_SIZE} bytes`,
    );
  }
  if (typeof pemOrDer === 'string' && !pemOrDer.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ProtocolError(
      'MALFORMED_CERTIFICATE',
      'certificate text is not PEM (no BEGIN CERTIFICATE line)',
    );
  }
  let der: Buffer;
  try {
    der = new X509Certificate(typeof pemOrDer === 'string' ? pemOrDer : Buffer.from(pemOrDer)).raw;
  } catch (cause) {
    throw new ProtocolError('MALFORMED_CERTIFICATE', 'certificate cannot be parsed as X.509', { cause });
  }
  return {
    sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

/**
 * Normalises a thumbprint typed or pasted by a user (`aa:bb:…`, spaces, lower case, and the invisible
 * left-to-right mark Windows' certificate dialog copies) to upper-case hex. It must then be 40 (SHA-1) or
 * 64 (SHA-256) hex digits; otherwise throws `MALFORMED_CERTIFICATE`.
 */
export function normaliseThumbprint(text: string): string {
  const hex = text.replace(/[\s:\u200e\u200f\ufeff-]/g, '').toUpperCase();
  if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(hex)) {
    throw new ProtocolError(
      'MALFORMED_CERTIFICATE',
      'thumbprint must be 40 (SHA-1) or 64 (SHA-256) hex digits, optionally separated by colons or spaces',
    );
  }
  return hex;
}

/** True when two thumbprints are the same after normalising; compared in constant time. Malformed → false. */
export function thumbprintsEqual(a: string, b: string): boolean {
  let left: Buffer;
  let right: Buffer;
  try {
    left = Buffer.from(normaliseThumbprint(a), 'hex');
    right = Buffer.from(normaliseThumbprint(b), 'hex');
  } catch {
    return false;
  }
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Thumbprints registered for a self-signed identity (either may be SHA-1 or SHA-256). */
export interface RegisteredThumbprints {
  readonly primary?: string;
  readonly secondary?: string;
}

/**
 * Which registered thumbprint a presented certificate matches, comparing its SHA-1 and SHA-256 against both
 * stored values as edgeHub does (reference/iothub-mqtt.md §1.4), or `undefined` (ASC alert `IoT_Cert_Print_Mismatch`).
 */
export function matchThumbprint(
  certificate: CertificateThumbprints,
  registered: RegisteredThumbprints,
): 'primary' | 'secondary' | undefined {
  const matches = (stored: string | undefined): boolean =>
    stored !== undefined &&
    // Both comparisons always run; `|` rather than `||` keeps the timing independent of which matched.
    (Number(thumbprintsEqual(certificate.sha1, stored)) |
      Number(thumbprintsEqual(certificate.sha256, stored))) ===
      1;
  if (matches(registered.primary)) return 'primary';
  if (matches(registered.secondary)) return 'secondary';
  return undefined;
}
