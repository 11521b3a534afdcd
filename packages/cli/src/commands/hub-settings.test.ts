import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '@vigil/hub';
import { connectDevice } from '../testing/connect-device.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;

beforeAll(async () => {
  api = await startApiTestServer();
});
afterAll(async () => {
  await api?.close();
});

const file = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Whether the hub accepts a device session with this connection string. */
async function connects(connection: string): Promise<boolean> {
  try {
    await (await connectDevice(api.server.hub.addresses.mqtt!.port, connection)).endAsync();
    return true;
  } catch {
    return false;
  }
}

describe('vigil certificates', () => {
  it('adds a CA, proves possession with a verification code, lists and deletes it', async () => {
    const ca = await issueCertificate({ subject: 'CN=Fleet Root', isCa: true });
    const added = await api.run(['certificates', 'add', 'fleet-root', 'ca.pem'], {
      files: { 'ca.pem': file(ca.certificatePem) },
    });
    expect(added.code).toBe(0);
    expect(added.out).toMatch(
      /^added CA certificate fleet-root\n {2}verified\s+no\n {2}thumbprint\s+[0-9A-F]{40}\n/,
    );
    expect(added.out).toContain('next: `vigil certificates verification-code fleet-root`');
    const listed = await api.run(['certificates', 'list']);
    expect(listed.out).toMatch(
      /^NAME\s+VERIFIED\s+CREATED\s+THUMBPRINT\nfleet-root\s+no\s+\S+\s+[0-9A-F]{40}\n$/,
    );

    const code = await api.run(['certificates', 'verification-code', 'fleet-root']);
    expect(code.code).toBe(0);
    const verificationCode = code.out.split('\n')[0]!;
    expect(code.out).toContain(
      `issue a certificate with subject CN=${verificationCode} signed by the CA's key`,
    );
    const proof = await issueCertificate({ subject: `CN=${verificationCode}`, issuer: ca });
    const verified = await api.run(['certificates', 'verify', 'fleet-root', 'proof.pem', '--json'], {
      files: { 'proof.pem': file(proof.certificatePem) },
    });
    expect(verified.code).toBe(0);
    const certificate = JSON.parse(verified.out);
    expect(certificate).toMatchObject({
      name: 'fleet-root',
      isVerified: true,
      certificate: ca.certificatePem,
    });
    const items = JSON.parse((await api.run(['certificates', 'list', '--json'])).out).items;
    expect(items).toEqual([expect.objectContaining({ name: 'fleet-root', isVerified: true })]);

    const stale = await api.run(['certificates', 'delete', 'fleet-root', '--if-match', 'old']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('refused: PRECONDITION_FAILED (HTTP 412)');
    const deleted = await api.run(['certificates', 'delete', 'fleet-root', '--if-match', certificate.etag]);
    expect(deleted).toMatchObject({ code: 0, out: 'deleted CA certificate fleet-root\n' });
    expect((await api.run(['certificates', 'list'])).out).toBe('no CA certificates\n');
  });

  it('refuses a file that is not PEM, a missing file, a proof the CA did not sign and a taken name', async () => {
    const notPem = await api.run(['certificates', 'add', 'x', 'key.txt'], {
      files: { 'key.txt': file('hello') },
    });
    expect(notPem.code).toBe(2);
    expect(notPem.err).toContain('key.txt is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)');
    const missing = await api.run(['certificates', 'add', 'x', 'nowhere.pem']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("ENOENT: no such file, open 'nowhere.pem'");

    const ca = await issueCertificate({ subject: 'CN=Lab Root', isCa: true });
    const files = { 'ca.pem': file(ca.certificatePem) };
    expect((await api.run(['certificates', 'add', 'lab', 'ca.pem'], { files })).code).toBe(0);
    const taken = await api.run(['certificates', 'add', 'lab', 'ca.pem'], { files });
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('refused: CONFLICT (HTTP 409)');
    const code = (await api.run(['certificates', 'verification-code', 'lab', '--json'])).out;
    const { verificationCode } = JSON.parse(code) as { verificationCode: string };
    const stranger = await issueCertificate({ subject: `CN=${verificationCode}` });
    const forged = await api.run(['certificates', 'verify', 'lab', 'proof.pem'], {
      files: { 'proof.pem': file(stranger.certificatePem) },
    });
    expect(forged.code).toBe(1);
    expect(forged.err).toContain('the certificate is not signed by CA lab');
    expect((await api.run(['certificates', 'show', 'lab'])).out).toMatch(/\n {2}verified\s+no\n/);
  });
});

describe('vigil ip-filter', () => {
  it('shows the filter, rejects an address range (its devices cannot connect) and restores it from a file', async () => {
    const connection = (await api.run(['device', 'add', 'gate-1'])).out.split('\n')[2]!.trim();
    const initial = await api.run(['ip-filter', 'show']);
    expect(initial.out).toBe('default action: accept (when no rule matches)\nno rules\n');
    const saved = JSON.parse((await api.run(['ip-filter', 'show', '--json'])).out);

    const set = await api.run([
      'ip-filter',
      'set',
      '--rule',
      'office,accept,10.1.0.0/16',
      '--rule',
      'lab,reject,127.0.0.0/8',
    ]);
    expect(set.code).toBe(0);
    expect(set.out).toMatch(
      /^saved the IP filter\ndefault action: accept \(when no rule matches\)\n#\s+NAME\s+ACTION\s+IP MASK\n1\s+office\s+accept\s+10\.1\.0\.0\/16\n2\s+lab\s+reject\s+127\.0\.0\.0\/8\n$/,
    );
    expect(await connects(connection)).toBe(false);
    // --default-action alone keeps the rules.
    const flipped = JSON.parse(
      (await api.run(['ip-filter', 'set', '--default-action', 'reject', '--json'])).out,
    );
    expect(flipped).toMatchObject({ defaultAction: 'reject', rules: [{ name: 'office' }, { name: 'lab' }] });

    // The file of an earlier `show --json` carries its etag: it is stale now, so nothing is overwritten.
    const stale = await api.run(['ip-filter', 'set', '--file', 'filter.json'], {
      files: { 'filter.json': file(JSON.stringify(saved)) },
    });
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('PRECONDITION_FAILED');
    const restored = await api.run(['ip-filter', 'set', '--file', 'filter.json'], {
      files: { 'filter.json': file(JSON.stringify({ ...saved, etag: flipped.etag })) },
    });
    expect(restored.code).toBe(0);
    expect((await api.run(['ip-filter', 'show'])).out).toBe(
      'default action: accept (when no rule matches)\nno rules\n',
    );
    expect(await connects(connection)).toBe(true);
  });

  it('refuses malformed rules, with every problem, and changes nothing', async () => {
    const before = (await api.run(['ip-filter', 'show', '--json'])).out;
    const shape = await api.run(['ip-filter', 'set', '--rule', 'lab-127.0.0.1']);
    expect(shape.code).toBe(2);
    expect(shape.err).toContain(
      '--rule must be name,action,ip-mask, e.g. lab,accept,10.0.0.0/8 (got lab-127.0.0.1)',
    );
    const action = await api.run(['ip-filter', 'set', '--rule', 'lab,allow,127.0.0.1']);
    expect(action.err).toContain('--rule lab: the action must be accept, reject (got allow)');
    const masks = await api.run([
      'ip-filter',
      'set',
      '--rule',
      'a,accept,10.0.0.0/40',
      '--rule',
      'b,reject,fe80::1/129',
    ]);
    expect(masks.code).toBe(1);
    expect(masks.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(masks.err).toMatch(/rules\[0\]\.ipMask/);
    expect(masks.err).toMatch(/rules\[1\]\.ipMask/);
    const both = await api.run(['ip-filter', 'set', '--file', 'f.json', '--default-action', 'reject']);
    expect(both.err).toContain('--file holds the whole filter');
    const nothing = await api.run(['ip-filter', 'set']);
    expect(nothing.err).toContain('nothing to set');
    const notJson = await api.run(['ip-filter', 'set', '--file', 'f.json'], {
      files: { 'f.json': file('{oops') },
    });
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain('f.json must be JSON');
    expect((await api.run(['ip-filter', 'show', '--json'])).out).toBe(before);
  });
});

describe('vigil diagnostic-settings', () => {
  it('sets, lists and deletes a diagnostic setting', async () => {
    expect((await api.run(['diagnostic-settings', 'list'])).out).toBe('no diagnostic settings\n');
    const set = await api.run([
      'diagnostic-settings',
      'set',
      'to-siem',
      '--destination',
      'https://siem.example/ingest',
      '--category',
      'Connections,DeviceIdentityOperations',
      '--category',
      'C2DCommands',
    ]);
    expect(set).toMatchObject({
      code: 0,
      out: 'saved diagnostic setting to-siem: Connections, DeviceIdentityOperations, C2DCommands → https://siem.example/ingest\n',
    });
    const table = await api.run(['diagnostic-settings', 'list']);
    expect(table.out).toMatch(
      /^NAME\s+DESTINATION\s+CATEGORIES\nto-siem\s+https:\/\/siem\.example\/ingest\s+Connections, DeviceIdentityOperations, C2DCommands\n$/,
    );
    expect(JSON.parse((await api.run(['diagnostic-settings', 'list', '--json'])).out)).toEqual({
      items: [
        {
          name: 'to-siem',
          destination: 'https://siem.example/ingest',
          categories: ['Connections', 'DeviceIdentityOperations', 'C2DCommands'],
        },
      ],
    });
    const deleted = await api.run(['diagnostic-settings', 'delete', 'to-siem']);
    expect(deleted).toMatchObject({ code: 0, out: 'deleted diagnostic setting to-siem\n' });
    const again = await api.run(['diagnostic-settings', 'delete', 'to-siem']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('refused: NOT_FOUND (HTTP 404)');
  });

  it('refuses unknown categories and missing options, saving nothing', async () => {
    const unknown = await api.run([
      'diagnostic-settings',
      'set',
      'x',
      '--destination',
      'd',
      '--category',
      'Gossip',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(unknown.err).toContain('  categories[0]: must be one of Connections, DeviceTelemetry');
    const noDestination = await api.run(['diagnostic-settings', 'set', 'x', '--category', 'Connections']);
    expect(noDestination.code).toBe(2);
    expect(noDestination.err).toContain("required option '--destination <where>' not specified");
    const empty = await api.run([
      'diagnostic-settings',
      'set',
      'x',
      '--destination',
      'd',
      '--category',
      'Connections,',
    ]);
    expect(empty.err).toContain('--category must name a category');
    expect((await api.run(['diagnostic-settings', 'list'])).out).toBe('no diagnostic settings\n');
  });
});
