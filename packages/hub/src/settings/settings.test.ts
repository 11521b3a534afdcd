import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueCertificate, type CertificateAndKey } from '../tls/index.js';
import { openServiceHarness, type ServiceHarness } from '../service-api/testing/service-harness.js';
import { createSettings, type Settings } from './index.js';

describe('hub settings', () => {
  let h: ServiceHarness;
  let settings: Settings;
  let changes: number;
  let ca: CertificateAndKey;
  let otherCa: CertificateAndKey;
  beforeAll(async () => {
    ca = await issueCertificate({ subject: 'CN=Vigil Test Root', isCa: true });
    otherCa = await issueCertificate({ subject: 'CN=Other Root', isCa: true });
  });
  beforeEach(async () => {
    h = await openServiceHarness();
    h.now = Date.now();
    changes = 0;
    settings = createSettings(h.context, () => changes++);
  });
  afterEach(() => h.close());

  describe('CA certificates', () => {
    it('adds a CA with its SHA-1 thumbprint, unverified, and records it', async () => {
      const added = await settings.certificates.add({ name: 'root', pem: ca.certificatePem });
      expect(added).toMatchObject({
        name: 'root',
        isVerified: false,
        thumbprint: expect.stringMatching(/^[0-9A-F]{40}$/),
      });
      expect(h.operations.named('certificateAdded')).toMatchObject([
        { outcome: 'success', details: { name: 'root', isVerified: false } },
      ]);
      expect(changes).toBe(1);
    });

    it('records certificateAddFailed for garbage, a leaf certificate and a duplicate name', async () => {
      await expect(settings.certificates.add({ name: 'x', pem: 'not a pem' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      const leaf = await issueCertificate({ subject: 'CN=leaf', issuer: ca });
      await expect(
        settings.certificates.add({ name: 'leaf', pem: leaf.certificatePem }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'pem', message: expect.stringContaining('CA') }],
      });
      await settings.certificates.add({ name: 'root', pem: ca.certificatePem });
      await expect(settings.certificates.add({ name: 'root', pem: ca.certificatePem })).rejects.toMatchObject(
        { code: 'CONFLICT' },
      );
      expect(h.operations.named('certificateAddFailed').map((o) => o.reason)).toEqual([
        'invalidCertificate',
        'invalidCertificate',
        'alreadyExists',
      ]);
    });

    it('verifies proof of possession: a leaf with CN=code signed by the CA', async () => {
      await settings.certificates.add({ name: 'root', pem: ca.certificatePem });
      const { verificationCode } = await settings.certificates.generateVerificationCode('root');
      const wrongCn = await issueCertificate({ subject: 'CN=not-the-code', issuer: ca });
      await expect(
        settings.certificates.verify('root', { pem: wrongCn.certificatePem }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const wrongSigner = await issueCertificate({ subject: `CN=${verificationCode}`, issuer: otherCa });
      await expect(
        settings.certificates.verify('root', { pem: wrongSigner.certificatePem }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const proof = await issueCertificate({ subject: `CN=${verificationCode}`, issuer: ca });
      const verified = await settings.certificates.verify('root', { pem: proof.certificatePem });
      expect(verified.isVerified).toBe(true);
      expect(h.operations.named('certificateVerified').map((o) => [o.outcome, o.reason ?? null])).toEqual([
        ['failure', 'verificationCodeMismatch'],
        ['failure', 'notSignedByCa'],
        ['success', null],
      ]);
      // The code is single-use.
      await expect(settings.certificates.verify('root', { pem: proof.certificatePem })).rejects.toMatchObject(
        { code: 'VALIDATION_FAILED' },
      );
    });

    it('deletes under an etag; stale etag and unknown name are recorded as certificateDeleteFailed', async () => {
      const added = await settings.certificates.add({
        name: 'root',
        pem: ca.certificatePem,
        isVerified: true,
      });
      expect(added.isVerified).toBe(true);
      await expect(settings.certificates.delete('root', { ifMatch: 'stale' })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      await settings.certificates.delete('root', { ifMatch: added.etag });
      await expect(settings.certificates.delete('root')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(h.operations.named('certificateDeleteFailed').map((o) => o.reason)).toEqual([
        'etagMismatch',
        'notFound',
      ]);
      expect(h.operations.named('certificateDeleted')).toHaveLength(1);
    });
  });

  describe('IP filter', () => {
    it('replaces the rules, records before and after, and refuses a stale etag', async () => {
      const initial = await settings.getIpFilter();
      expect(initial).toMatchObject({ defaultAction: 'accept', rules: [] });
      const rules = [
        { name: 'lab', action: 'accept' as const, ipMask: '10.0.0.0/8' },
        { name: 'v6', action: 'accept' as const, ipMask: '2001:db8::/32' },
        { name: 'one', action: 'reject' as const, ipMask: '192.168.1.7' },
      ];
      const updated = await settings.setIpFilter(
        { defaultAction: 'reject', rules },
        { ifMatch: initial.etag },
      );
      expect(updated).toMatchObject({ defaultAction: 'reject', rules });
      await expect(
        settings.setIpFilter({ defaultAction: 'accept', rules: [] }, { ifMatch: initial.etag }),
      ).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      expect(h.operations.named('ipFilterChanged')).toMatchObject([
        {
          details: {
            before: { defaultAction: 'accept', rules: [] },
            after: { defaultAction: 'reject', rules },
          },
        },
      ]);
      expect(changes).toBe(1);
    });

    it('lists every violation: bad CIDRs v4/v6, duplicate names, actions', async () => {
      const error = await settings
        .setIpFilter({
          defaultAction: 'reject',
          rules: [
            { name: 'a', action: 'accept', ipMask: '10.0.0.0/33' },
            { name: 'A', action: 'accept', ipMask: '2001:db8::/129' },
            { name: 'b', action: 'allow' as 'accept', ipMask: '300.1.1.1' },
            { name: 'c', action: 'accept', ipMask: '10.0.0.0/8/1' },
          ],
        })
        .catch((e: unknown) => e);
      expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
        'rules[0].ipMask',
        'rules[1].name',
        'rules[1].ipMask',
        'rules[2].action',
        'rules[2].ipMask',
        'rules[3].ipMask',
      ]);
      expect(h.operations.named('ipFilterChanged')).toEqual([]);
    });
  });

  describe('diagnostic settings', () => {
    it('adds, edits and deletes named settings, recording each change and keeping the IP filter', async () => {
      await settings.setIpFilter({ defaultAction: 'reject', rules: [] });
      await settings.putDiagnosticSetting({
        name: 'siem',
        destination: 'syslog://siem:514',
        categories: ['Connections'],
      });
      await settings.putDiagnosticSetting({
        name: 'siem',
        destination: 'syslog://siem:514',
        categories: ['Connections', 'DirectMethods'],
      });
      await settings.putDiagnosticSetting({
        name: 'audit',
        destination: 'file:///var/log/hub',
        categories: ['C2DCommands'],
      });
      expect((await settings.listDiagnosticSettings()).map((s) => [s.name, s.categories.length])).toEqual([
        ['siem', 2],
        ['audit', 1],
      ]);
      await settings.deleteDiagnosticSetting('siem');
      await expect(settings.deleteDiagnosticSetting('siem')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await settings.getIpFilter()).defaultAction).toBe('reject');
      expect(h.operations.named('diagnosticSettingChanged').map((o) => o.details?.['created'])).toEqual([
        true,
        false,
        true,
      ]);
      expect(h.operations.named('diagnosticSettingDeleted')).toMatchObject([{ details: { name: 'siem' } }]);
    });

    it('refuses unknown categories, duplicates and empty destinations', async () => {
      const error = await settings
        .putDiagnosticSetting({
          name: 'x y',
          destination: ' ',
          categories: ['Connections', 'Connections', 'Nope'],
        })
        .catch((e: unknown) => e);
      expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
        'name',
        'destination',
        'categories[1]',
        'categories[2]',
      ]);
    });
  });
});
