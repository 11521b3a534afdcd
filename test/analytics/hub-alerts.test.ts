/**
 * Built-in hub alerts from real hub operations: credential failures of devices connecting over MQTT
 * (SAS with sim's tampering options, X.509 with issued certificates) and certificate and
 * diagnostic-setting changes made through the service API; each with a near miss that raises nothing.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, type CertificateAndKey } from '@vigil/hub';
import { certificateThumbprints, generateSymmetricKey } from '@vigil/protocol';
import { startScenarioServer, type ScenarioServer } from './support/scenario-server.js';

let t: ScenarioServer;

beforeAll(async () => {
  t = await startScenarioServer();
}, 30_000);
afterAll(() => t?.stop());

/** Active alerts of one type as `deviceId:key` (hub-wide alerts carry device id ''). */
async function alertsOf(typeId: string): Promise<string[]> {
  const page = await t.client.listAlerts({ typeId, status: 'active' });
  return page.items.map((alert) => `${alert.deviceId}:${alert.key}`);
}

async function alertTypesOf(deviceId: string): Promise<string[]> {
  return (await t.alertKeys({ deviceId })).map((key) => key.slice(deviceId.length + 1));
}

/** Connects with a client certificate, as an X.509 device would; true when the hub accepted it. */
async function connectX509(deviceId: string, cert: CertificateAndKey): Promise<boolean> {
  try {
    const client = await mqtt.connectAsync({
      host: '127.0.0.1',
      port: t.server.hub.addresses.mqtts!.port,
      protocol: 'mqtts',
      servername: 'localhost',
      ca: t.server.hub.caCertificatePem,
      cert: cert.certificatePem,
      key: cert.privateKeyPem,
      clientId: deviceId,
      username: `localhost/${deviceId}/?api-version=2021-04-12`,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}

async function x509Device(deviceId: string, registered: string): Promise<void> {
  const spare = await issueCertificate({ subject: 'CN=spare' });
  await t.store.identities.create({
    deviceId,
    moduleId: null,
    auth: {
      type: 'selfSigned',
      primaryThumbprint: registered,
      secondaryThumbprint: certificateThumbprints(spare.certificatePem).sha1,
    },
  });
  t.server.hub.invalidate();
}

describe('SAS token alerts', () => {
  it('a token expired an hour ago raises IoT_Expired_SAS_Token; one a minute past expiry is within the tolerated clock skew (300 s) and raises nothing', async () => {
    const bad = await t.addAgent('sas-expired');
    const good = await t.addAgent('sas-fresh');
    await expect(t.connect(bad, { ttlSeconds: -3600, connectTimeoutMs: 5_000 })).rejects.toThrow();
    await (await t.connect(good, { ttlSeconds: -60 })).close();
    await t.settle();
    expect(await alertTypesOf('sas-expired')).toEqual(['IoT_Expired_SAS_Token']);
    expect(await alertTypesOf('sas-fresh')).toEqual([]);
  });

  it('a token signed with a key the device does not have raises IoT_Invalid_SAS_Token; an unknown device raises nothing', async () => {
    const bad = await t.addAgent('sas-forged');
    await expect(
      t.connect(bad, { signingKey: generateSymmetricKey(), connectTimeoutMs: 5_000 }),
    ).rejects.toThrow();
    const stranger = { deviceId: 'sas-nobody', moduleId: 'azureiotsecurity', key: generateSymmetricKey() };
    await expect(t.connect(stranger, { connectTimeoutMs: 5_000 })).rejects.toThrow();
    await t.settle();
    expect(await alertTypesOf('sas-forged')).toEqual(['IoT_Invalid_SAS_Token']);
    expect(await alertTypesOf('sas-nobody')).toEqual([]);
    // The unknown identity's refusal is in the operations log all the same.
    const refused = await t.store.operations.list({
      deviceId: 'sas-nobody',
      operation: 'authenticationFailed',
      limit: 5,
    });
    expect(refused.length).toBe(1);
  });
});

describe('X.509 alerts', () => {
  it('a certificate whose thumbprint is not registered raises IoT_Cert_Print_Mismatch; the registered one connects without alert', async () => {
    const registered = await issueCertificate({ subject: 'CN=x509-ok', usage: ['clientAuth'] });
    const presented = await issueCertificate({ subject: 'CN=x509-wrong', usage: ['clientAuth'] });
    await x509Device('x509-wrong', certificateThumbprints(registered.certificatePem).sha256);
    await x509Device('x509-ok', certificateThumbprints(registered.certificatePem).sha256);
    expect(await connectX509('x509-wrong', presented)).toBe(false);
    expect(await connectX509('x509-ok', registered)).toBe(true);
    await t.settle();
    expect(await alertTypesOf('x509-wrong')).toEqual(['IoT_Cert_Print_Mismatch']);
    expect(await alertTypesOf('x509-ok')).toEqual([]);
  });

  it('an expired certificate raises IoT_Cert_Expired even with its thumbprint registered; a valid one does not', async () => {
    const expired = await issueCertificate({
      subject: 'CN=x509-old',
      usage: ['clientAuth'],
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const valid = await issueCertificate({ subject: 'CN=x509-new', usage: ['clientAuth'] });
    await x509Device('x509-old', certificateThumbprints(expired.certificatePem).sha256);
    await x509Device('x509-new', certificateThumbprints(valid.certificatePem).sha256);
    expect(await connectX509('x509-old', expired)).toBe(false);
    expect(await connectX509('x509-new', valid)).toBe(true);
    await t.settle();
    expect(await alertTypesOf('x509-old')).toEqual(['IoT_Cert_Expired']);
    expect(await alertTypesOf('x509-new')).toEqual([]);
  });
});

describe('certificate alerts from the service API', () => {
  const certificateTypes = [
    'IoT_CertificateSuccessfullyAddedToHub',
    'IoT_CertificateSuccessfullyDeletedFromHub',
    'Hub_CertificateFailedToBeAddedToHub',
    'IoT.Hub_CertificateFailedToBeDeletedFromHub',
  ];
  const raised = async () =>
    Object.fromEntries(
      await Promise.all(certificateTypes.map(async (type) => [type, (await alertsOf(type)).length] as const)),
    );

  it('reading certificates and asking for a verification code raise nothing', async () => {
    const ca = await issueCertificate({ subject: 'CN=scenario CA', isCa: true });
    expect(
      (
        await t.store.certificates.add(
          {
            name: 'preloaded',
            pem: ca.certificatePem,
            thumbprint: certificateThumbprints(ca.certificatePem).sha1,
          },
          Date.now(),
        )
      ).name,
    ).toBe('preloaded');
    expect((await t.call('GET', '/api/hub/certificates')).status).toBe(200);
    expect((await t.call('POST', '/api/hub/certificates/preloaded/verification-code')).status).toBe(200);
    await t.settle();
    expect(Object.values(await raised())).toEqual([0, 0, 0, 0]);
  });

  it('add, a failed add, delete and a failed delete each raise their own alert', async () => {
    const ca = await issueCertificate({ subject: 'CN=fleet CA', isCa: true });
    const leaf = await issueCertificate({ subject: 'CN=not a CA' });
    expect(
      (await t.call('PUT', '/api/hub/certificates/fleet', { certificate: ca.certificatePem })).status,
    ).toBe(201);
    await t.settle();
    expect(await raised()).toMatchObject({
      IoT_CertificateSuccessfullyAddedToHub: 1,
      Hub_CertificateFailedToBeAddedToHub: 0,
    });
    expect(
      (await t.call('PUT', '/api/hub/certificates/leaf', { certificate: leaf.certificatePem })).status,
    ).toBe(400);
    await t.settle();
    expect(await raised()).toMatchObject({ Hub_CertificateFailedToBeAddedToHub: 1 });
    expect((await t.call('DELETE', '/api/hub/certificates/fleet')).status).toBe(204);
    expect((await t.call('DELETE', '/api/hub/certificates/never-added')).status).toBe(404);
    await t.settle();
    expect(await raised()).toEqual({
      IoT_CertificateSuccessfullyAddedToHub: 1,
      IoT_CertificateSuccessfullyDeletedFromHub: 1,
      Hub_CertificateFailedToBeAddedToHub: 1,
      'IoT.Hub_CertificateFailedToBeDeletedFromHub': 1,
    });
  });
});

describe('diagnostic-setting alerts from the service API', () => {
  const setting = { destination: 'file:///var/log/vigil/diagnostics', categories: ['Connections'] };

  it('add and edit raise IoT_DiagnosticSettingAddedOrEditedOnHub (one alert, two occurrences); delete raises IoT_DiagnosticSettingDeletedFromHub', async () => {
    expect((await t.call('PUT', '/api/hub/diagnostic-settings/ops', setting)).status).toBeLessThan(300);
    expect(
      (
        await t.call('PUT', '/api/hub/diagnostic-settings/ops', {
          ...setting,
          categories: ['Connections', 'DeviceTelemetry'],
        })
      ).status,
    ).toBeLessThan(300);
    await t.settle();
    const changed = await t.client.listAlerts({ typeId: 'IoT_DiagnosticSettingAddedOrEditedOnHub' });
    expect(changed.items.map((alert) => alert.occurrences)).toEqual([2]);
    expect(await alertsOf('IoT_DiagnosticSettingDeletedFromHub')).toEqual([]);
    expect((await t.call('DELETE', '/api/hub/diagnostic-settings/ops')).status).toBeLessThan(300);
    await t.settle();
    expect((await alertsOf('IoT_DiagnosticSettingDeletedFromHub')).length).toBe(1);
  });

  it('reading the settings and deleting one that does not exist raise nothing', async () => {
    const before = await t.store.alerts.count({ typeId: 'IoT_DiagnosticSettingDeletedFromHub' });
    expect((await t.call('GET', '/api/hub/diagnostic-settings')).status).toBe(200);
    expect((await t.call('DELETE', '/api/hub/diagnostic-settings/never-there')).status).toBe(404);
    await t.settle();
    expect(await t.store.alerts.count({ typeId: 'IoT_DiagnosticSettingDeletedFromHub' })).toBe(before);
    expect(await t.store.alerts.count({ typeId: 'IoT_DiagnosticSettingAddedOrEditedOnHub' })).toBe(1);
  });
});
