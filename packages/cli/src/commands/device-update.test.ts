import { X509Certificate } from 'node:crypto';
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

/** The SHA-1 thumbprint of a fresh self-signed certificate, as 40 hex digits. */
async function thumbprint(subject: string): Promise<string> {
  const { certificatePem } = await issueCertificate({ subject: `CN=${subject}` });
  return new X509Certificate(certificatePem).fingerprint.replaceAll(':', '');
}

async function connectionString(deviceId: string, key: 'primary' | 'secondary'): Promise<string> {
  return (await api.run(['device', 'connection-string', deviceId, '--key', key])).out.trim();
}

/** Whether the hub accepts a device session with this connection string. */
async function connects(connection: string): Promise<boolean> {
  try {
    const client = await connectDevice(api.server.hub.addresses.mqtt!.port, connection);
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}

describe('vigil device add with X.509', () => {
  it('registers self-signed devices with both thumbprints, and CA-signed ones', async () => {
    const [primary, secondary] = [await thumbprint('cam-1 a'), await thumbprint('cam-1 b')];
    const added = await api.run([
      'device',
      'add',
      'cam-1',
      '--primary-thumbprint',
      primary.toLowerCase(),
      '--secondary-thumbprint',
      secondary,
    ]);
    expect(added.code).toBe(0);
    expect(added.out).toContain(
      `registered device cam-1 (selfSigned (primary ${primary}, secondary ${secondary}))`,
    );
    expect(added.out).toContain('DeviceId=cam-1;x509=true');
    const shown = JSON.parse((await api.run(['device', 'show', 'cam-1', '--json'])).out);
    expect(shown.authentication).toEqual({
      type: 'selfSigned',
      x509Thumbprint: { primaryThumbprint: primary, secondaryThumbprint: secondary },
    });
    const ca = await api.run(['device', 'add', 'cam-2', '--auth', 'ca', '--json']);
    expect(JSON.parse(ca.out).authentication).toEqual({ type: 'certificateAuthority' });
    const table = await api.run(['device', 'list']);
    expect(table.out).toMatch(/\ncam-2\s+-\s+enabled\s+disconnected\s+certificateAuthority\s+-\n/);
  });

  it('refuses a malformed thumbprint (the API names it) and contradictory flags, registering nothing', async () => {
    const bad = await api.run(['device', 'add', 'cam-3', '--primary-thumbprint', 'abc']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(bad.err).toContain('authentication.primaryThumbprint');
    const mixed = await api.run(['device', 'add', 'cam-3', '--auth', 'ca', '--primary-thumbprint', 'ab']);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain(
      '--primary-thumbprint and --secondary-thumbprint go with --auth self-signed, not ca',
    );
    const missing = await api.run(['device', 'add', 'cam-3', '--auth', 'self-signed']);
    expect(missing.err).toContain('--auth self-signed needs --primary-thumbprint');
    const unknown = await api.run(['device', 'add', 'cam-3', '--auth', 'password']);
    expect(unknown.err).toContain('--auth must be sas, self-signed, ca (got password)');
    expect((await api.run(['device', 'show', 'cam-3'])).err).toContain('NOT_FOUND');
  });
});

describe('vigil device update', () => {
  it('disables a device with a reason (it can no longer connect) and enables it again', async () => {
    const { out } = await api.run(['device', 'add', 'meter-1']);
    const connection = out.split('\n')[2]!.trim();
    expect(await connects(connection)).toBe(true);
    const disabled = await api.run([
      'device',
      'update',
      'meter-1',
      '--status',
      'disabled',
      '--status-reason',
      'stolen',
    ]);
    expect(disabled.code).toBe(0);
    expect(disabled.out).toMatch(/^updated device meter-1\n {2}status\s+disabled \(stolen\)\n/);
    expect(await connects(connection)).toBe(false);
    const enabled = JSON.parse(
      (await api.run(['device', 'update', 'meter-1', '--status', 'enabled', '--json'])).out,
    );
    expect(enabled).toMatchObject({ status: 'enabled', statusReason: 'stolen' });
    expect(await connects(connection)).toBe(true);
  });

  it('renews the primary key (the old one stops working, the secondary keeps working), swaps keys', async () => {
    await api.run(['device', 'add', 'meter-2']);
    const [oldPrimary, oldSecondary] = [
      await connectionString('meter-2', 'primary'),
      await connectionString('meter-2', 'secondary'),
    ];
    const renewed = await api.run(['device', 'update', 'meter-2', '--renew-key', 'primary']);
    expect(renewed.code).toBe(0);
    const newPrimary = await connectionString('meter-2', 'primary');
    expect(newPrimary).not.toBe(oldPrimary);
    expect(await connectionString('meter-2', 'secondary')).toBe(oldSecondary);
    expect(await connects(oldPrimary)).toBe(false);
    expect(await connects(newPrimary)).toBe(true);
    await api.run(['device', 'update', 'meter-2', '--renew-key', 'swap']);
    expect(await connectionString('meter-2', 'primary')).toBe(oldSecondary);
    expect(await connectionString('meter-2', 'secondary')).toBe(newPrimary);
  });

  it('sets thumbprints, honours --if-match, and refuses bad input without changing the device', async () => {
    await api.run(['device', 'add', 'meter-3']);
    const before = JSON.parse((await api.run(['device', 'show', 'meter-3', '--json'])).out);
    const stale = await api.run([
      'device',
      'update',
      'meter-3',
      '--status',
      'disabled',
      '--if-match',
      'stale',
    ]);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('refused: PRECONDITION_FAILED (HTTP 412)');
    const print = await thumbprint('meter-3');
    const switched = await api.run([
      'device',
      'update',
      'meter-3',
      '--primary-thumbprint',
      print,
      '--if-match',
      before.etag,
      '--json',
    ]);
    expect(switched.code).toBe(0);
    expect(JSON.parse(switched.out).authentication).toEqual({
      type: 'selfSigned',
      x509Thumbprint: { primaryThumbprint: print, secondaryThumbprint: print },
    });
    const notSas = await api.run(['device', 'update', 'meter-3', '--renew-key', 'both']);
    expect(notSas.code).toBe(2);
    expect(notSas.err).toContain('--renew-key needs SAS authentication; this identity uses selfSigned');
    const nothing = await api.run(['device', 'update', 'meter-3']);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain('nothing to update');
    const badStatus = await api.run(['device', 'update', 'meter-3', '--status', 'paused']);
    expect(badStatus.err).toContain('--status must be enabled, disabled (got paused)');
    const tooLong = await api.run(['device', 'update', 'meter-3', '--status-reason', 'x'.repeat(129)]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.err).toContain('  body.statusReason: must be at most 128 characters');
    const after = JSON.parse((await api.run(['device', 'show', 'meter-3', '--json'])).out);
    expect(after).toMatchObject({ status: 'enabled', statusReason: null });
    expect(after.etag).toBe(JSON.parse(switched.out).etag);
  });
});
