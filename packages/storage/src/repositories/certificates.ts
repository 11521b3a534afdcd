import type { CaCertificate, CertificateRepository } from '../ports/index.js';
import { boundedJson } from '../limits.js';
import { checkEtag, checkName, found, newEtag, type RepositoryContext } from './common.js';

interface CertificateRow {
  name: string;
  pem: string;
  thumbprint: string;
  is_verified: number;
  etag: string;
  created_at: number;
  updated_at: number;
}

function fromRow(row: CertificateRow): CaCertificate {
  return {
    name: row.name,
    pem: row.pem,
    thumbprint: row.thumbprint,
    isVerified: row.is_verified === 1,
    etag: row.etag,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The hub's CA certificates over SQL. */
export function createCertificateRepository({ db }: RepositoryContext): CertificateRepository {
  const select = (name: string, lock = '') =>
    db.get<CertificateRow>(`SELECT * FROM ca_certificates WHERE name = ?${lock}`, [name]);
  return {
    async add(certificate, now = Date.now()) {
      checkName('certificate name', certificate.name);
      boundedJson('certificate PEM', certificate.pem);
      await db.run(
        `INSERT INTO ca_certificates (name, pem, thumbprint, is_verified, etag, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?)`,
        [certificate.name, certificate.pem, certificate.thumbprint.toUpperCase(), newEtag(), now, now],
      );
      return fromRow(found(`certificate ${certificate.name}`, await select(certificate.name)));
    },
    async get(name) {
      const row = await select(name);
      return row && fromRow(row);
    },
    async list() {
      return (await db.all<CertificateRow>('SELECT * FROM ca_certificates ORDER BY name LIMIT 1000')).map(
        fromRow,
      );
    },
    async setVerified(name, isVerified, options = {}) {
      return db.transaction(async (tx) => {
        const row = found(
          `certificate ${name}`,
          await tx.get<CertificateRow>(`SELECT * FROM ca_certificates WHERE name = ?${db.forUpdate}`, [name]),
        );
        checkEtag(`certificate ${name}`, row.etag, options.ifMatch);
        await tx.run('UPDATE ca_certificates SET is_verified = ?, etag = ?, updated_at = ? WHERE name = ?', [
          isVerified ? 1 : 0,
          newEtag(),
          options.now ?? Date.now(),
          name,
        ]);
        return fromRow(
          found(
            `certificate ${name}`,
            await tx.get<CertificateRow>('SELECT * FROM ca_certificates WHERE name = ?', [name]),
          ),
        );
      });
    },
    async delete(name, options = {}) {
      return db.transaction(async (tx) => {
        const row = await tx.get<CertificateRow>(
          `SELECT * FROM ca_certificates WHERE name = ?${db.forUpdate}`,
          [name],
        );
        if (!row) return false;
        checkEtag(`certificate ${name}`, row.etag, options.ifMatch);
        await tx.run('DELETE FROM ca_certificates WHERE name = ?', [name]);
        return true;
      });
    },
  };
}
