import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { HubError } from '../errors/index.js';
import { issueCertificate, type CertificateAndKey } from './issue-certificate.js';

/** What the listeners serve, and the trust anchor devices are given. */
export interface TlsMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** The CA devices should trust (`client.setOptions({ ca })`); the server certificate itself when no CA is known. */
  readonly caCertificatePem: string;
  /** True when the material was generated on this start (first start, or a server certificate renewed). */
  readonly generated: boolean;
}

/** File names under `<dataDir>/tls`. */
export const TLS_FILES = Object.freeze({
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  server: 'server.pem',
  serverKey: 'server-key.pem',
});

async function readPair(dir: string, cert: string, key: string): Promise<CertificateAndKey | undefined> {
  try {
    return {
      certificatePem: await readFile(join(dir, cert), 'utf8'),
      privateKeyPem: await readFile(join(dir, key), 'utf8'),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HubError('TLS_MATERIAL', `cannot read TLS material in ${dir}`, { cause: error });
  }
}

/** True when the server certificate is valid for a day more and names every host it must serve. */
function serverStillFits(pem: string, ca: string, hostNames: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(pem);
    const ok = cert.verify(new X509Certificate(ca).publicKey);
    const fresh = Date.parse(cert.validTo) > Date.now() + 86_400_000;
    const names = (name: string): boolean =>
      isIP(name) === 0 ? cert.checkHost(name) !== undefined : cert.checkIP(name) !== undefined;
    return ok && fresh && hostNames.every(names);
  } catch {
    return false;
  }
}

/**
 * The hub's TLS material: the configured certificate, or a private CA and server certificate
 * generated into `<dataDir>/tls` on first start and reused afterwards. The CA is kept across
 * renewals so devices keep their trust anchor; the server certificate is reissued when it nears
 * expiry or when the configured host names change. SANs: the host names, `localhost`, `127.0.0.1`.
 */
export async function loadOrCreateTlsMaterial(options: {
  readonly dataDir: string;
  readonly hostNames: readonly string[];
  readonly configured?: { certificatePem: string; privateKeyPem: string; caCertificatePem?: string } | null;
}): Promise<TlsMaterial> {
  if (options.configured) {
    const { certificatePem, privateKeyPem, caCertificatePem } = options.configured;
    return {
      certificatePem,
      privateKeyPem,
      caCertificatePem: caCertificatePem ?? certificatePem,
      generated: false,
    };
  }
  const dir = join(options.dataDir, 'tls');
  // A host name that is an address (a LAN hub reached by IP) goes in an IP SAN, which clients check.
  const names = [...new Set(['localhost', ...options.hostNames])];
  const dnsNames = names.filter((name) => isIP(name) === 0);
  const ipAddresses = [...new Set(['127.0.0.1', '::1', ...names.filter((name) => isIP(name) !== 0)])];
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let generated = false;
    let ca = await readPair(dir, TLS_FILES.ca, TLS_FILES.caKey);
    if (ca === undefined) {
      ca = await issueCertificate({ subject: 'CN=Vigil hub private CA', isCa: true, validDays: 3650 });
      await writeFile(join(dir, TLS_FILES.caKey), ca.privateKeyPem, { mode: 0o600 });
      await writeFile(join(dir, TLS_FILES.ca), ca.certificatePem, { mode: 0o644 });
      generated = true;
    }
    let server = await readPair(dir, TLS_FILES.server, TLS_FILES.serverKey);
    if (
      server === undefined ||
      generated ||
      !serverStillFits(server.certificatePem, ca.certificatePem, names)
    ) {
      server = await issueCertificate({
        subject: `CN=${options.hostNames[0] ?? 'localhost'}`,
        issuer: ca,
        dnsNames,
        ipAddresses,
        usage: ['serverAuth'],
        validDays: 825,
      });
      await writeFile(join(dir, TLS_FILES.serverKey), server.privateKeyPem, { mode: 0o600 });
      await writeFile(join(dir, TLS_FILES.server), server.certificatePem, { mode: 0o644 });
      generated = true;
    }
    return { ...server, caCertificatePem: ca.certificatePem, generated };
  } catch (error) {
    if (error instanceof HubError) throw error;
    throw new HubError('TLS_MATERIAL', `cannot create TLS material in ${dir}`, { cause: error });
  }
}
