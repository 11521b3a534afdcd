import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCertificate } from './issue-certificate.js';
import { loadOrCreateTlsMaterial, TLS_FILES } from './tls-material.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-hub-tls-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('generated TLS material', () => {
  it('creates a private CA and a server certificate a TLS client accepts for localhost and the host name', async () => {
    const first = await loadOrCreateTlsMaterial({ dataDir, hostNames: ['hub.example.test'] });
    expect(first.generated).toBe(true);
    const server = new X509Certificate(first.certificatePem);
    expect(server.verify(new X509Certificate(first.caCertificatePem).publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('hub.example.test')).toBe('hub.example.test');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(statSync(join(dataDir, 'tls', TLS_FILES.caKey)).mode & 0o077).toBe(0);

    const tlsServer = createServer({ cert: first.certificatePem, key: first.privateKeyPem }, (s) => s.end());
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const { port } = tlsServer.address() as { port: number };
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket: TLSSocket = connect(
        { port, host: '127.0.0.1', servername: 'localhost', ca: first.caCertificatePem },
        () => {
          resolve(socket.authorized);
          socket.destroy();
        },
      );
      socket.on('error', reject);
    });
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    expect(authorized).toBe(true);
  });

  it('reuses the CA and server certificate on the next start, and reissues only the server certificate for a new host name', async () => {
    const first = await loadOrCreateTlsMaterial({ dataDir, hostNames: ['hub.example.test'] });
    const again = await loadOrCreateTlsMaterial({ dataDir, hostNames: ['hub.example.test'] });
    expect(again.generated).toBe(false);
    expect(again.certificatePem).toBe(first.certificatePem);
    const renamed = await loadOrCreateTlsMaterial({ dataDir, hostNames: ['other.example.test'] });
    expect(renamed.caCertificatePem).toBe(first.caCertificatePem);
    expect(renamed.certificatePem).not.toBe(first.certificatePem);
    expect(new X509Certificate(renamed.certificatePem).checkHost('other.example.test')).toBe(
      'other.example.test',
    );
    const byAddress = await loadOrCreateTlsMaterial({ dataDir, hostNames: ['192.0.2.10'] });
    expect(new X509Certificate(byAddress.certificatePem).checkIP('192.0.2.10')).toBe('192.0.2.10');
  });

  it('issues device certificates signed by a CA, with the requested validity', async () => {
    const ca = await issueCertificate({ subject: 'CN=fleet CA', isCa: true });
    const leaf = await issueCertificate({
      subject: 'CN=dev1',
      issuer: ca,
      usage: ['clientAuth'],
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2020-02-01T00:00:00Z'),
    });
    const cert = new X509Certificate(leaf.certificatePem);
    expect(cert.subject).toBe('CN=dev1');
    expect(cert.checkIssued(new X509Certificate(ca.certificatePem))).toBe(true);
    expect(cert.validTo).toContain('2020');
  });
});
