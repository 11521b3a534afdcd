import { randomBytes, webcrypto } from 'node:crypto';
import './reflect-metadata-shim.js';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 signs through WebCrypto; Node's implementation is the one to use.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM. */
export interface CertificateAndKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** What {@link issueCertificate} makes. */
export interface IssueCertificateOptions {
  /** Distinguished name, e.g. `CN=dev1`. */
  readonly subject: string;
  /** The signer; absent means self-signed. */
  readonly issuer?: CertificateAndKey;
  /** A CA certificate (basic constraints CA, key usage certificate signing). */
  readonly isCa?: boolean;
  /** DNS names and IP addresses for the subject alternative name extension. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** `serverAuth`, `clientAuth` or both. */
  readonly usage?: readonly ('serverAuth' | 'clientAuth')[];
  /** Validity; by default from one hour ago for `validDays` (365) days. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly validDays?: number;
}

const EKU = { serverAuth: x509.ExtendedKeyUsage.serverAuth, clientAuth: x509.ExtendedKeyUsage.clientAuth };

/**
 * Issues an ECDSA P-256 certificate: the hub's private CA and server certificate, and the device
 * certificates tests and the CLI hand to devices (self-signed or signed by a CA).
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<CertificateAndKey> {
  const keys = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter =
    options.notAfter ?? new Date(notBefore.getTime() + (options.validDays ?? 365) * 86_400_000);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.isCa === true, options.isCa === true ? 1 : undefined, true),
    new x509.KeyUsagesExtension(
      options.isCa === true
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.usage !== undefined && options.usage.length > 0) {
    extensions.push(new x509.ExtendedKeyUsageExtension(options.usage.map((u) => EKU[u])));
  }
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  // A positive serial number: the high bit cleared so DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const common = { serialNumber: serial.toString('hex'), notBefore, notAfter, signingAlgorithm: ECDSA };
  let certificate: x509.X509Certificate;
  if (options.issuer === undefined) {
    certificate = await x509.X509CertificateGenerator.createSelfSigned({
      ...common,
      name: options.subject,
      keys,
      extensions,
    });
  } else {
    const issuerCert = new x509.X509Certificate(options.issuer.certificatePem);
    const issuerKey = await importPrivateKey(options.issuer.privateKeyPem);
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey));
    certificate = await x509.X509CertificateGenerator.create({
      ...common,
      subject: options.subject,
      issuer: issuerCert.subject,
      publicKey: keys.publicKey,
      signingKey: issuerKey,
      extensions,
    });
  }
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: certificate.toString('pem') + '\n',
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n',
  };
}

async function importPrivateKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ECDSA, false, ['sign']);
}
