import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCertificate } from '../tls/index.js';
import { errorOf, openApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('service API: settings', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await openApiHarness();
  });
  afterEach(() => api.close());

  it('adds a CA, proves possession and deletes it under its etag', async () => {
    const ca = await issueCertificate({ subject: 'CN=Root', isCa: true });
    const added = await api.call('PUT', '/certificates/root', { certificate: ca.certificatePem });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ name: 'root', isVerified: false });
    const read = await api.call('GET', '/certificates/root');
    expect(read.json()).toMatchObject({ name: 'root', certificate: ca.certificatePem });
    expect(read.headers.etag).toBe(`"${read.json<{ etag: string }>().etag}"`);
    expect((await api.call('GET', '/certificates/none')).statusCode).toBe(404);
    const { verificationCode } = (await api.call('POST', '/certificates/root/verification-code')).json<{
      verificationCode: string;
    }>();
    const proof = await issueCertificate({ subject: `CN=${verificationCode}`, issuer: ca });
    const verified = await api.call('POST', '/certificates/root/verify', {
      certificate: proof.certificatePem,
    });
    expect(verified.json()).toMatchObject({ isVerified: true });
    expect(
      (await api.call('DELETE', '/certificates/root', undefined, { 'if-match': '"old"' })).statusCode,
    ).toBe(412);
    expect(
      (
        await api.call('DELETE', '/certificates/root', undefined, {
          'if-match': verified.headers.etag as string,
        })
      ).statusCode,
    ).toBe(204);
    expect((await api.call('GET', '/certificates')).json()).toEqual({ items: [] });
  });

  it('replaces the IP filter and manages diagnostic settings', async () => {
    const put = await api.call('PUT', '/ip-filter', {
      defaultAction: 'reject',
      rules: [{ name: 'lab', action: 'accept', ipMask: '127.0.0.0/8' }],
    });
    expect(put.json()).toMatchObject({ defaultAction: 'reject', rules: [{ name: 'lab' }] });
    const read = await api.call('GET', '/ip-filter');
    expect(read.json()).toMatchObject({ defaultAction: 'reject', etag: put.json<{ etag: string }>().etag });
    const stale = await api.call(
      'PUT',
      '/ip-filter',
      { defaultAction: 'accept', rules: [] },
      { 'if-match': '"old"' },
    );
    expect(stale.statusCode).toBe(412);
    const bad = await api.call('PUT', '/ip-filter', {
      defaultAction: 'reject',
      rules: [{ name: 'x', action: 'accept', ipMask: '1.2.3.4/40' }, { name: 'y' }],
    });
    expect(errorOf(bad).details.map((d) => d.path)).toEqual(['body.rules[1].action', 'body.rules[1].ipMask']);
    const worse = await api.call('PUT', '/ip-filter', {
      defaultAction: 'reject',
      rules: [{ name: 'x', action: 'accept', ipMask: '1.2.3.4/40' }],
    });
    expect(errorOf(worse).details.map((d) => d.path)).toEqual(['rules[0].ipMask']);
    expect(
      (
        await api.call('PUT', '/diagnostic-settings/siem', {
          destination: 'syslog://x',
          categories: ['Connections'],
        })
      ).statusCode,
    ).toBe(200);
    expect((await api.call('GET', '/diagnostic-settings')).json()).toEqual({
      items: [{ name: 'siem', destination: 'syslog://x', categories: ['Connections'] }],
    });
    expect((await api.call('DELETE', '/diagnostic-settings/siem')).statusCode).toBe(204);
    expect((await api.call('DELETE', '/diagnostic-settings/siem')).statusCode).toBe(404);
  });
});
